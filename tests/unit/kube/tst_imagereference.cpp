// SPDX-License-Identifier: MIT
#include "kube/imagereference.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::kube;

namespace {
const QString kSha256 = QString(64, u'a');
}

class TestImageReference : public QObject
{
    Q_OBJECT
private slots:
    void valid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("digest");
        QTest::newRow("bare name") << "nginx"
                                   << ""
                                   << "nginx"
                                   << ""
                                   << "";
        QTest::newRow("tag") << "nginx:1.25"
                             << ""
                             << "nginx"
                             << "1.25"
                             << "";
        QTest::newRow("user/repo:tag") << "bebullish/demo:v2"
                                       << ""
                                       << "bebullish/demo"
                                       << "v2"
                                       << "";
        QTest::newRow("docker.io") << "docker.io/library/nginx:latest"
                                   << "docker.io"
                                   << "library/nginx"
                                   << "latest"
                                   << "";
        QTest::newRow("localhost with port") << "localhost:5000/demo:v1"
                                             << "localhost:5000"
                                             << "demo"
                                             << "v1"
                                             << "";
        QTest::newRow("localhost without port") << "localhost/demo"
                                                << "localhost"
                                                << "demo"
                                                << ""
                                                << "";
        QTest::newRow("registry, digest")
            << QStringLiteral("registry.example.com:443/team/app@sha256:") + kSha256
            << "registry.example.com:443"
            << "team/app"
            << "" << QStringLiteral("sha256:") + kSha256;
        QTest::newRow("tag and digest") << QStringLiteral("demo:v2@sha256:") + kSha256 << ""
                                        << "demo"
                                        << "v2" << QStringLiteral("sha256:") + kSha256;
        QTest::newRow("ipv6 registry") << "[::1]:5000/demo"
                                       << "[::1]:5000"
                                       << "demo"
                                       << ""
                                       << "";
        QTest::newRow("separators") << "a_b__c.d-e---f:T_a.g-1"
                                    << ""
                                    << "a_b__c.d-e---f"
                                    << "T_a.g-1"
                                    << "";
        QTest::newRow("deep path") << "gcr.io/google-containers/pause:3.9"
                                   << "gcr.io"
                                   << "google-containers/pause"
                                   << "3.9"
                                   << "";
        QTest::newRow("upper-case registry") << "Registry/demo"
                                             << "Registry"
                                             << "demo"
                                             << ""
                                             << "";
        QTest::newRow("128-char tag") << QStringLiteral("demo:") + QString(128, u'x') << ""
                                      << "demo" << QString(128, u'x') << "";
    }
    void valid()
    {
        QFETCH(QString, text);
        QFETCH(QString, domain);
        QFETCH(QString, path);
        QFETCH(QString, tag);
        QFETCH(QString, digest);
        const Result<ImageReference> ref = ImageReference::parse(text);
        QVERIFY2(ref.ok(), ref.ok() ? "" : qPrintable(ref.error().message));
        QCOMPARE(ref->domain, domain);
        QCOMPARE(ref->path, path);
        QCOMPARE(ref->tag, tag);
        QCOMPARE(ref->digest, digest);
        QCOMPARE(ref->toString(), text);
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("space") << "demo v2"
                               << "white space";
        QTest::newRow("trailing newline") << "demo:v2\n"
                                          << "white space";
        QTest::newRow("upper-case repository") << "Demo:v2"
                                               << "lower-case";
        QTest::newRow("upper-case path") << "bebullish/Demo"
                                         << "lower-case";
        QTest::newRow("empty tag") << "demo:"
                                   << "tag after \":\" is empty";
        QTest::newRow("tag starts with dash") << "demo:-v2"
                                              << "must not start";
        QTest::newRow("tag with slash char") << "demo:v2!"
                                             << "may only use";
        QTest::newRow("tag too long")
            << QStringLiteral("demo:") + QString(129, u'x') << "longer than 128";
        QTest::newRow("short digest") << "demo@sha256:abc"
                                      << "64 hex digits";
        QTest::newRow("digest not hex")
            << QStringLiteral("demo@sha256:") + QString(64, u'z') << "hexadecimal";
        QTest::newRow("unknown digest algorithm")
            << QStringLiteral("demo@md5:") + QString(32, u'a') << "not supported";
        QTest::newRow("digest without algorithm") << "demo@abc"
                                                  << "sha256:";
        QTest::newRow("two at signs")
            << QStringLiteral("demo@sha256:") + kSha256 + u'@' << "more than one";
        QTest::newRow("double slash") << "bebullish//demo"
                                      << "empty part";
        QTest::newRow("leading slash") << "/demo"
                                       << "empty part";
        QTest::newRow("trailing separator") << "demo_:v1"
                                            << "may only use lower-case";
        QTest::newRow("double dot") << "de..mo"
                                    << "may only use lower-case";
        QTest::newRow("port not a number") << "registry.example.com:port/demo"
                                           << "not a number";
        QTest::newRow("bad host") << "-registry.com/demo"
                                  << "not a valid host name";
        QTest::newRow("name too long") << QString(256, u'a') << "longer than 255";
        QTest::newRow("hex image id") << kSha256 << "64-digit hexadecimal";
        QTest::newRow("non-ascii") << QStringLiteral("démo") << "printable ASCII";
        QTest::newRow("only tag") << ":v2"
                                  << "repository name is missing";
    }
    void invalid()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const Result<ImageReference> ref = ImageReference::parse(text);
        QVERIFY2(!ref.ok(), qPrintable(text));
        QCOMPARE(ref.error().kind, Error::Kind::Usage);
        QVERIFY2(ref.error().message.contains(mentions), qPrintable(ref.error().message));
    }
};

ROLLSCOPE_TEST_MAIN(TestImageReference)
#include "tst_imagereference.moc"
