#include "tests/grouped_data.h"

#include "instructions/ops.h"
#include "tests/test_util.h"

namespace automl {
namespace {

void Fill(DataSplit& split, const std::vector<GroupedExample>& examples) {
  for (const GroupedExample& e : examples) {
    split.features.push_back(e.x);
    split.features.push_back(0.0);
    split.labels.push_back(e.label);
    split.groups.push_back(e.group);
  }
}

}  // namespace

const std::vector<GroupedExample>& GroupedValidExamples() {
  static const std::vector<GroupedExample>* const kExamples =
      new std::vector<GroupedExample>{{2.0, 1, 0}, {-1.0, 1, 0}, {0.5, 0, 0},  {-2.0, 0, 0},
                                      {1.0, 1, 1}, {-0.5, 1, 1}, {-3.0, 0, 1}, {-1.0, 0, 1}};
  return *kExamples;
}

const std::vector<GroupedExample>& GroupedTestExamples() {
  static const std::vector<GroupedExample>* const kExamples =
      new std::vector<GroupedExample>{{1.0, 1, 0}, {-1.0, 0, 0}, {1.0, 0, 1}, {2.0, 1, 1}};
  return *kExamples;
}

Dataset GroupedDataset(const std::vector<GroupedExample>& valid,
                       const std::vector<GroupedExample>& test) {
  Dataset dataset;
  dataset.name = "grouped";
  dataset.feature_size = kGroupedFeatureSize;
  dataset.eval_type = EvalType::kAccuracy;
  dataset.num_epochs = 2;
  Fill(dataset.train, GroupedValidExamples());
  Fill(dataset.valid, valid);
  Fill(dataset.test, test);
  return dataset;
}

Program FirstFeatureProgram() {
  Program program;
  Instruction one = Ins(Op::VECTOR_CONST_SET, 1, 0, 0, 1.0);
  one.index0 = 0;
  program.setup = {one};
  program.predict = {Ins(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  return program;
}

}  // namespace automl
