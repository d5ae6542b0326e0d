// SPDX-License-Identifier: MIT
#pragma once

// The shared main() of every Qt Test executable:
//   ROLLSCOPE_TEST_MAIN(TestClass)      - QCoreApplication (models, simulator, client)
//   ROLLSCOPE_GUI_TEST_MAIN(TestClass)  - QApplication (widgets)
// Both default to the offscreen platform (an existing QT_QPA_PLATFORM wins) and switch
// QStandardPaths to test mode, so a test never reads or writes the user's settings; each test
// program has settings and data folders of its own (its name in the application name).

#include <QTest>

namespace rollscope::test {

// Before the application object exists.
void prepareEnvironment();
// After it exists.
void prepareApplication();

} // namespace rollscope::test

#define ROLLSCOPE_TEST_MAIN_IMPL(AppClass, TestClass)                                              \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        rollscope::test::prepareEnvironment();                                                     \
        AppClass app(argc, argv);                                                                  \
        rollscope::test::prepareApplication();                                                     \
        TestClass test;                                                                            \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&test, argc, argv);                                                    \
    }

#define ROLLSCOPE_TEST_MAIN(TestClass) ROLLSCOPE_TEST_MAIN_IMPL(QCoreApplication, TestClass)

#define ROLLSCOPE_GUI_TEST_MAIN(TestClass) ROLLSCOPE_TEST_MAIN_IMPL(QApplication, TestClass)
