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
#include <stdexcept>
#include <string>

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
  if (!selection.empty()) {
    // Suites live in namespaces: "StoreTest" finds "sealform::StoreTest".
    CppUnit::Test* chosen = nullptr;
    for (const char* prefix : {"", "sealform::", "sealform::web::", "sealform::fcgi::"}) {
      try {
        chosen = all->findTest(std::string(prefix) + selection);
        break;
      } catch (const std::invalid_argument&) {
      }
    }
    if (chosen == nullptr) {
      std::cerr << "no test named " << selection << "\n";
      delete all;
      return EXIT_FAILURE;
    }
    selection = chosen->getName();
  }
  runner.addTest(all);  // the runner owns (and frees) the whole tree
  runner.run(controller, selection);

  if (!result.wasSuccessful()) {
    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
  }

  const int run = result.runTests();
  const int failed = result.testFailuresTotal();
  std::cout << "unit: " << (run - failed) << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
