// SPDX-License-Identifier: MIT
// The fuzz targets without libFuzzer: `fuzz_replay <target> <file or folder>...` feeds every
// file once to the target's LLVMFuzzerTestOneInput (compiled under another name per target,
// see CMakeLists.txt). The normal build runs it on the seed corpora and on regressions/ (test
// fuzz_replay), so every crash the fuzzer ever found stays fixed under GCC and its sanitizers.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstring>

#define ROLLSCOPE_FUZZ_TARGET(name)                                                                \
    extern "C" int rollscope_fuzz_##name(const uint8_t *data, size_t size);
#include "fuzztargets.inc"
#undef ROLLSCOPE_FUZZ_TARGET

namespace {

using TestOneInput = int (*)(const uint8_t *, size_t);

struct Target
{
    const char *name;
    TestOneInput run;
};

const Target kTargets[] = {
#define ROLLSCOPE_FUZZ_TARGET(name) {#name, &rollscope_fuzz_##name},
#include "fuzztargets.inc"
#undef ROLLSCOPE_FUZZ_TARGET
};

int replay(TestOneInput run, const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        fprintf(stderr, "cannot read %s\n", qPrintable(file));
        return 1;
    }
    const QByteArray data = f.readAll();
    fprintf(stderr, "  %s (%lld bytes)\n", qPrintable(file), static_cast<long long>(data.size()));
    // A copy of exactly the input's size, so ASan sees reads past its end as libFuzzer would.
    auto *copy = new uint8_t[std::max<qsizetype>(data.size(), 1)];
    memcpy(copy, data.constData(), size_t(data.size()));
    run(copy, size_t(data.size()));
    delete[] copy;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <target> <file or folder>...\ntargets:", argv[0]);
        for (const Target &t : kTargets)
            fprintf(stderr, " %s", t.name);
        fprintf(stderr, "\n");
        return 2;
    }
    TestOneInput run = nullptr;
    for (const Target &t : kTargets) {
        if (strcmp(t.name, argv[1]) == 0)
            run = t.run;
    }
    if (!run) {
        fprintf(stderr, "unknown fuzz target %s\n", argv[1]);
        return 2;
    }
    int failures = 0;
    int count = 0;
    for (int i = 2; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        const QFileInfo info(arg);
        if (info.isDir()) {
            QDirIterator it(arg, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            QStringList files;
            while (it.hasNext())
                files << it.next();
            files.sort();
            for (const QString &file : std::as_const(files)) {
                failures += replay(run, file);
                ++count;
            }
        } else if (info.exists()) {
            failures += replay(run, arg);
            ++count;
        } // a folder that does not exist yet (no regression found) is nothing to replay
    }
    fprintf(stderr, "%s: %d inputs replayed\n", argv[1], count);
    return failures == 0 ? 0 : 1;
}
