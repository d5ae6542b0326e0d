// SPDX-License-Identifier: MIT
// JSON to YAML as kubectl get -o yaml prints it: block style, sequences at their key's
// indentation, quotes only where a plain scalar would read back as something else, literal
// blocks for multi-line strings, managedFields hidden unless asked for. Every expected text is
// also read back with yaml-cpp, so a wrong quote shows up as a wrong value.
#include "kube/yamlprint.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <yaml-cpp/yaml.h>

using namespace rollscope::kube;

namespace {

QJsonObject parseJson(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// The scalar of `key` in a one-key document, as yaml-cpp reads it, with its tag ("!" for a
// quoted scalar, "?" for a plain one, which a YAML reader may resolve to another type).
std::pair<QString, QString> readBack(const QString &yaml)
{
    const YAML::Node node = YAML::Load(yaml.toStdString());
    const YAML::Node value = node["k"];
    return {QString::fromStdString(value.as<std::string>()), QString::fromStdString(value.Tag())};
}

} // namespace

class TestYamlPrint : public QObject
{
    Q_OBJECT

private slots:
    void deploymentLikeKubectl()
    {
        const QJsonObject o = parseJson(R"({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "demo-dp", "namespace": "default", "generation": 3,
                         "creationTimestamp": "2026-12-05T14:00:00Z",
                         "annotations": {"deployment.kubernetes.io/revision": "2"},
                         "labels": {}, "finalizers": []},
            "spec": {"replicas": 3, "paused": false,
                     "template": {"spec": {"containers": [
                         {"name": "demo", "image": "bebullish/demo:v2",
                          "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                          "args": ["--listen", ":8080"]}]}}},
            "status": {"conditions": [{"type": "Available", "status": "True",
                                       "message": "Deployment has minimum availability."}]}
        })");
        const QString expected = QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "2"
  creationTimestamp: "2026-12-05T14:00:00Z"
  finalizers: []
  generation: 3
  labels: {}
  name: demo-dp
  namespace: default
spec:
  paused: false
  replicas: 3
  template:
    spec:
      containers:
      - args:
        - --listen
        - :8080
        image: bebullish/demo:v2
        name: demo
        ports:
        - containerPort: 8080
          protocol: TCP
status:
  conditions:
  - message: Deployment has minimum availability.
    status: "True"
    type: Available
)");
        QCOMPARE(toYaml(o), expected);
        // And it is YAML that reads back to the same object.
        const YAML::Node node = YAML::Load(expected.toStdString());
        QCOMPARE(node["spec"]["template"]["spec"]["containers"][0]["args"][1].as<std::string>(),
                 std::string(":8080"));
        QCOMPARE(node["status"]["conditions"][0]["status"].as<std::string>(), std::string("True"));
    }

    void scalars_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("demo") << QStringLiteral("demo");
        QTest::newRow("empty") << QString() << QStringLiteral("\"\"");
        QTest::newRow("true") << QStringLiteral("true") << QStringLiteral("\"true\"");
        QTest::newRow("True") << QStringLiteral("True") << QStringLiteral("\"True\"");
        QTest::newRow("yes (YAML 1.1 bool)") << QStringLiteral("yes") << QStringLiteral("\"yes\"");
        QTest::newRow("off") << QStringLiteral("off") << QStringLiteral("\"off\"");
        QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("\"null\"");
        QTest::newRow("tilde") << QStringLiteral("~") << QStringLiteral("\"~\"");
        QTest::newRow("int") << QStringLiteral("1") << QStringLiteral("\"1\"");
        QTest::newRow("negative") << QStringLiteral("-5") << QStringLiteral("\"-5\"");
        QTest::newRow("float") << QStringLiteral("1.5") << QStringLiteral("\"1.5\"");
        QTest::newRow("exponent") << QStringLiteral("1e3") << QStringLiteral("\"1e3\"");
        QTest::newRow("octal") << QStringLiteral("0755") << QStringLiteral("\"0755\"");
        QTest::newRow("hex") << QStringLiteral("0x1F") << QStringLiteral("\"0x1F\"");
        QTest::newRow("base 60") << QStringLiteral("1:30") << QStringLiteral("\"1:30\"");
        QTest::newRow("inf") << QStringLiteral(".inf") << QStringLiteral("\".inf\"");
        QTest::newRow("date") << QStringLiteral("2026-12-05") << QStringLiteral("\"2026-12-05\"");
        QTest::newRow("version is a string")
            << QStringLiteral("v1.2.3") << QStringLiteral("v1.2.3");
        QTest::newRow("ip") << QStringLiteral("10.0.0.1") << QStringLiteral("10.0.0.1");
        QTest::newRow("colon space") << QStringLiteral("a: b") << QStringLiteral("'a: b'");
        QTest::newRow("ends with colon") << QStringLiteral("a:") << QStringLiteral("'a:'");
        QTest::newRow("colon in url")
            << QStringLiteral("http://x:80/p") << QStringLiteral("http://x:80/p");
        QTest::newRow("comment") << QStringLiteral("a #b") << QStringLiteral("'a #b'");
        QTest::newRow("leading star") << QStringLiteral("*") << QStringLiteral("'*'");
        QTest::newRow("leading dash blank") << QStringLiteral("- x") << QStringLiteral("'- x'");
        QTest::newRow("leading dash") << QStringLiteral("--flag") << QStringLiteral("--flag");
        QTest::newRow("single quote") << QStringLiteral("'q'") << QStringLiteral("'''q'''");
        QTest::newRow("double quote") << QStringLiteral("\"q\"") << QStringLiteral("'\"q\"'");
        QTest::newRow("leading blank") << QStringLiteral(" x") << QStringLiteral("' x'");
        QTest::newRow("trailing blank") << QStringLiteral("x ") << QStringLiteral("'x '");
        QTest::newRow("braces") << QStringLiteral("{a}") << QStringLiteral("'{a}'");
        QTest::newRow("unicode") << QStringLiteral("grüße — 日本")
                                 << QStringLiteral("grüße — 日本");
        QTest::newRow("emoji") << QStringLiteral("ok 🚀") << QStringLiteral("ok 🚀");
        QTest::newRow("tab") << QStringLiteral("a\tb") << QStringLiteral("\"a\\tb\"");
        QTest::newRow("control") << QStringLiteral("a\u0001b") << QStringLiteral("\"a\\x01b\"");
        QTest::newRow("document start") << QStringLiteral("---") << QStringLiteral("'---'");
    }
    void scalars()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(yamlInlineScalar(text), expected);
        // Read back by a YAML parser: the same string; plain only when it stays a string.
        const QJsonObject o{{QStringLiteral("k"), text}};
        const QString yaml = toYaml(o);
        QCOMPARE(yaml, QStringLiteral("k: %1\n").arg(expected));
        const auto [value, tag] = readBack(yaml);
        QCOMPARE(value, text);
    }

    void numbersBoolsNull()
    {
        const QJsonObject o = parseJson(
            R"({"i": 3, "big": 9007199254740991, "neg": -2, "f": 0.25, "t": true, "n": null})");
        // "n" is a YAML 1.1 bool, so the key is quoted, as go-yaml (kubectl) quotes it.
        QCOMPARE(toYaml(o), QStringLiteral("big: 9007199254740991\nf: 0.25\ni: 3\n\"n\": null\n"
                                           "neg: -2\nt: true\n"));
    }

    void multiLineStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("clip") << QStringLiteral("line 1\nline 2\n")
                              << QStringLiteral("k: |\n  line 1\n  line 2\n");
        QTest::newRow("strip") << QStringLiteral("line 1\nline 2")
                               << QStringLiteral("k: |-\n  line 1\n  line 2\n");
        QTest::newRow("keep") << QStringLiteral("a\n\n") << QStringLiteral("k: |+\n  a\n\n");
        QTest::newRow("blank line inside")
            << QStringLiteral("a\n\nb\n") << QStringLiteral("k: |\n  a\n\n  b\n");
        QTest::newRow("indented lines") << QStringLiteral("{\n  \"a\": 1\n}\n")
                                        << QStringLiteral("k: |\n  {\n    \"a\": 1\n  }\n");
        QTest::newRow("trailing blank: quoted")
            << QStringLiteral("a \nb") << QStringLiteral("k: \"a \\nb\"\n");
        QTest::newRow("leading blank: quoted")
            << QStringLiteral(" a\nb") << QStringLiteral("k: \" a\\nb\"\n");
        QTest::newRow("carriage return: quoted")
            << QStringLiteral("a\r\nb") << QStringLiteral("k: \"a\\r\\nb\"\n");
    }
    void multiLineStrings()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString yaml = toYaml(QJsonObject{{QStringLiteral("k"), text}});
        QCOMPARE(yaml, expected);
        QCOMPARE(readBack(yaml).first, text);
    }

    void literalInsideSequenceAndNestedMaps()
    {
        const QJsonObject o = parseJson(
            R"({"a": {"b": {"script": "echo 1\necho 2\n"}}, "l": ["x\ny\n", {"s": "p\nq"}]})");
        const QString expected = QStringLiteral("a:\n  b:\n    script: |\n      echo 1\n      echo "
                                                "2\nl:\n- |\n  x\n  y\n- s: |-\n    p\n    q\n");
        QCOMPARE(toYaml(o), expected);
        const YAML::Node node = YAML::Load(expected.toStdString());
        QCOMPARE(node["l"][1]["s"].as<std::string>(), std::string("p\nq"));
        QCOMPARE(node["a"]["b"]["script"].as<std::string>(), std::string("echo 1\necho 2\n"));
    }

    void nestedEmptiesAndSequences()
    {
        const QJsonObject o =
            parseJson(R"({"e": {"m": {}, "a": []}, "s": [{}, [], [1, [2, 3]], {"x": {}}, null],
                          "k y": 1, "1": "one", "true": 2})");
        const QString expected = QStringLiteral(R"("1": one
e:
  a: []
  m: {}
k y: 1
s:
- {}
- []
- - 1
  - - 2
    - 3
- x: {}
- null
"true": 2
)");
        QCOMPARE(toYaml(o), expected);
        const YAML::Node node = YAML::Load(expected.toStdString());
        QCOMPARE(node["s"][2][1][1].as<int>(), 3);
        QVERIFY(node["s"][3]["x"].IsMap());
        QCOMPARE(node["s"][3]["x"].size(), std::size_t(0));
        QCOMPARE(node["1"].as<std::string>(), std::string("one"));
    }

    void managedFieldsHiddenByDefault()
    {
        const QJsonObject o = parseJson(R"({"kind": "Pod", "metadata": {"name": "p",
            "managedFields": [{"manager": "kubectl", "operation": "Update",
                               "fieldsV1": {"f:spec": {}}}]}})");
        const QString hidden = toYaml(o);
        QVERIFY2(!hidden.contains(u"managedFields"), qPrintable(hidden));
        QCOMPARE(hidden, QStringLiteral("kind: Pod\nmetadata:\n  name: p\n"));
        YamlPrintOptions show;
        show.showManagedFields = true;
        QCOMPARE(toYaml(o, show),
                 QStringLiteral("kind: Pod\nmetadata:\n  managedFields:\n  - fieldsV1:\n      "
                                "f:spec: {}\n    manager: kubectl\n    operation: Update\n  "
                                "name: p\n"));
    }

    void emptyObject() { QCOMPARE(toYaml(QJsonObject()), QStringLiteral("{}\n")); }
};

ROLLSCOPE_TEST_MAIN(TestYamlPrint)
#include "tst_yamlprint.moc"
