// Helpers the tests share (test-only): text-format protos that must parse, temporary files,
// column statistics for tolerance checks, and small builders of instructions and datasets.
// Experiment-spec builders are in tests/test_specs.h.
#ifndef TESTS_TEST_UTIL_H_
#define TESTS_TEST_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "executor/dataset.h"
#include "google/protobuf/text_format.h"
#include "instructions/instruction.h"
#include "instructions/ops.h"

namespace automl {

// --- Text-format protos ---

// The message `text` describes. A test's own proto text that does not parse is a bug in the
// test, so this prints the parser's error and aborts (tests only; production code returns a
// status, e.g. ParseExperimentSpec).
template <typename T>
T ParseTextOrDie(const std::string& text) {
  T message;
  if (!google::protobuf::TextFormat::ParseFromString(text, &message)) {
    std::fprintf(stderr, "ParseTextOrDie: not a valid %s:\n%s\n",
                 T::descriptor()->full_name().c_str(), text.c_str());
    std::abort();
  }
  return message;
}

// --- Files ---

// `name` inside the test's temporary directory (Bazel's TEST_TMPDIR).
std::string TempPath(const std::string& name);

// An empty directory `name` inside the test's temporary directory (emptied if it exists).
std::string FreshTempDir(const std::string& name);

// The whole file; empty if it cannot be read.
std::string ReadBytes(const std::string& path);

// Replaces the file's contents with `bytes`.
void WriteBytes(const std::string& path, const std::string& bytes);

// --- Statistics for tolerance checks ---

// Mean and population standard deviation of column `column` of row-major `values` with
// `width` columns (the defaults: of all values).
double Mean(const std::vector<double>& values, int width = 1, int column = 0);
double StdDev(const std::vector<double>& values, int width = 1, int column = 0);

// --- Builders ---

// An instruction with the given addresses and op data; the other fields stay zero.
Instruction Ins(Op op, int out = 0, int in1 = 0, int in2 = 0, double data0 = 0.0,
                double data1 = 0.0);

// A linear task: x ~ N(0, I) and y = w . x with w ~ N(0, I), all drawn from Rng(seed) (w first,
// then the train, valid and test examples in order); for kAccuracy the label is 1 if y > 0,
// else 0. Built here rather than by tasks/, so that executor-level tests stay below tasks.
Dataset RandomLinearDataset(int feature_size, int num_train, int num_valid, int num_test,
                            uint64_t seed, EvalType eval_type = EvalType::kRmsError,
                            int num_epochs = 1);

}  // namespace automl

#endif  // TESTS_TEST_UTIL_H_
