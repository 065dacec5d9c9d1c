// The CppUnit runner: every registered suite, a line per failure, and a
// last line "unit: N passed, N failed" that scripts/test adds to its total.
// Test names and failure messages never carry personal field values.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector result;
  controller.addListener(&result);
  CppUnit::BriefTestProgressListener progress;
  if (std::getenv("SEALFORM_TEST_VERBOSE") != nullptr) controller.addListener(&progress);

  CppUnit::TestRunner runner;
  CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
  // An optional argument selects one suite or test by name ("ValidateTest").
  std::string selection = argc > 1 ? argv[1] : "";
  if (selection.empty()) {
    runner.addTest(all);
  } else {
    runner.addTest(all->findTest(selection));
  }
  runner.run(controller);

  if (!result.wasSuccessful()) {
    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
  }

  const int run = result.runTests();
  const int failed = result.testFailuresTotal();
  std::cout << "unit: " << (run - failed) << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
