// Tests of CSV parsing (tasks/csv_dataset.h) and the csv task family (tasks/csv_task.cc):
// the dialect, split sizes and determinism, standardisation, groups, projection and
// selection, class labels, one test per kind of bad input (the message must name the row and
// column), the per-process cache, and a linear relation that the hand-written SGD learner fits
// through the executor. Every CSV is written to TEST_TMPDIR under a name of its own, because
// the family caches parsed files by spec for the whole process.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "Eigen/Dense"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "executor/dataset.h"
#include "executor/executor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "instructions/random.h"
#include "instructions/standard_programs.h"
#include "tasks/csv_dataset.h"
#include "tasks/task_registry.h"
#include "tasks/task_spec.pb.h"
#include "tests/generate_task.h"
#include "tests/test_util.h"

namespace automl {
namespace {

using ::testing::HasSubstr;

std::string WriteCsv(const std::string& name, const std::string& contents) {
  const std::string path = TempPath(name);
  WriteBytes(path, contents);
  return path;
}

TaskSpec CsvSpec(const std::string& path, const std::string& label, int feature_size, int train,
                 int valid, int test = 0) {
  TaskSpec spec;
  spec.set_feature_size(feature_size);
  spec.set_num_train_examples(train);
  spec.set_num_valid_examples(valid);
  spec.set_num_test_examples(test);
  spec.add_data_seeds(1);
  CsvTaskSpec& csv = *spec.mutable_csv();
  csv.set_path(path);
  csv.set_label_column(label);
  csv.set_kind(CsvTaskSpec::REGRESSION);
  return spec;
}

Dataset GenerateOne(TaskSpec spec, uint64_t data_seed) {
  spec.clear_data_seeds();
  spec.add_data_seeds(data_seed);
  return GenerateOneTask(spec);
}

// Rows "id,x,y" with x = 2 id + 1 and y = 10 id, for checking that rows stay whole.
std::string IdTable(int rows) {
  std::string text = "id,x,y\n";
  for (int i = 0; i < rows; ++i) absl::StrAppend(&text, i, ",", 2 * i + 1, ",", 10 * i, "\n");
  return text;
}

// --- Parsing ---

TEST(CsvParseTest, QuotingWhitespaceLineEndingsAndBlankLines) {
  const std::string text =
      "\xEF\xBB\xBF"  // Byte order mark.
      " name , \"a, b\" ,note\r\n"
      "\r\n"
      "  x  ,1,\"say \"\"hi\"\"\"\r\n"
      "   \n"
      "\"two\nlines\", 2 ,5\"\n"
      "last,3,\"\"";  // No final newline; an empty quoted field.
  absl::StatusOr<CsvTable> table = ParseCsv(text, "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->header(), (std::vector<std::string>{"name", "a, b", "note"}));
  ASSERT_EQ(table->num_rows(), 3);
  EXPECT_EQ(table->cell(0, 0), "x");
  EXPECT_EQ(table->cell(0, 1), "1");
  EXPECT_EQ(table->cell(0, 2), "say \"hi\"");
  EXPECT_EQ(table->cell(1, 0), "two\nlines");
  EXPECT_EQ(table->cell(1, 1), "2");
  EXPECT_EQ(table->cell(1, 2), "5\"");  // A quote inside an unquoted field is kept.
  EXPECT_EQ(table->cell(2, 0), "last");
  EXPECT_EQ(table->cell(2, 2), "");
  // Rows are file lines, blank lines included; a record spanning lines counts from its start.
  EXPECT_EQ(table->row_number(0), 3);
  EXPECT_EQ(table->row_number(1), 5);
  EXPECT_EQ(table->row_number(2), 7);
  EXPECT_EQ(table->ColumnIndex("a, b"), 1);
  EXPECT_EQ(table->ColumnIndex("missing"), -1);
}

TEST(CsvParseTest, NumbersAreStrictAndFinite) {
  absl::StatusOr<CsvTable> table =
      ParseCsv("v\n1.5\n-2e3\n+4\nabc\n3 apples\nnan\ninf\n1e999\n\"\"\n", "n.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->num_rows(), 9);
  EXPECT_EQ(*table->Number(0, 0), 1.5);
  EXPECT_EQ(*table->Number(1, 0), -2000.0);
  EXPECT_EQ(*table->Number(2, 0), 4.0);
  EXPECT_EQ(table->Number(3, 0).status().message(),
            "n.csv: row 5, column \"v\": \"abc\" is not a number");
  EXPECT_EQ(table->Number(4, 0).status().message(),
            "n.csv: row 6, column \"v\": \"3 apples\" is not a number");
  EXPECT_EQ(table->Number(5, 0).status().message(),
            "n.csv: row 7, column \"v\": \"nan\" (NaN) is not allowed");
  EXPECT_EQ(table->Number(6, 0).status().message(),
            "n.csv: row 8, column \"v\": \"inf\" is not a finite number");
  EXPECT_FALSE(table->Number(7, 0).ok());  // Overflows to infinity.
  EXPECT_EQ(table->Number(8, 0).status().message(),
            "n.csv: row 10, column \"v\": empty cell where a number is needed");
}

TEST(CsvParseTest, MalformedFilesNameTheRow) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "bad.csv: the file has no header row (it is empty)"},
      {"\n  \n", "bad.csv: the file has no header row (it is empty)"},
      {"a,,c\n1,2,3\n", "bad.csv: row 1, column 2 of the header has no name"},
      {"a,b,a\n", "bad.csv: row 1: the header names columns 1 and 3 both \"a\""},
      {"a,b\n1,2\n\n1,2,3\n", "bad.csv: row 4 has 3 fields but the header (row 1) has 2 columns"},
      {"a,b\n1,2\n3\n", "bad.csv: row 3 has 1 fields but the header (row 1) has 2 columns"},
      {"a,b\n1,\"2\n3,4\n", "bad.csv: row 2, column \"b\": a quoted field is never closed"},
      {"a,b\n1,\"2\"x\n",
       "bad.csv: row 2, column \"b\": unexpected text after a closing quote (a quote inside a "
       "quoted field is written \"\")"},
      {"\"a\"b\n",
       "bad.csv: row 1, field 1: unexpected text after a closing quote (a quote "
       "inside a quoted field is written \"\")"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<CsvTable> table = ParseCsv(c.text, "bad.csv");
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_EQ(table.status().message(), c.message) << c.text;
  }
}

TEST(CsvParseTest, MissingFileIsAnError) {
  absl::StatusOr<CsvTable> table = ReadCsvFile("/nonexistent/dir/data.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(),
            "cannot open CSV file '/nonexistent/dir/data.csv': No such file or directory");
}

// --- Splits ---

TEST(CsvTaskTest, SplitSizesAndWholeDisjointRows) {
  const std::string path = WriteCsv("splits.csv", IdTable(50));
  TaskSpec spec = CsvSpec(path, "y", 2, 20, 10, 15);
  spec.mutable_csv()->set_standardize_features(false);
  const Dataset dataset = GenerateOne(spec, 7);
  EXPECT_EQ(dataset.train.size(), 20);
  EXPECT_EQ(dataset.valid.size(), 10);
  EXPECT_EQ(dataset.test.size(), 15);
  EXPECT_EQ(dataset.eval_type, EvalType::kRmsError);
  EXPECT_TRUE(dataset.train.groups.empty());
  std::set<int> ids;
  for (const DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
    for (int i = 0; i < split->size(); ++i) {
      const double id = split->features[2 * i];
      EXPECT_EQ(split->features[2 * i + 1], 2 * id + 1);  // Feature columns in file order.
      EXPECT_EQ(split->labels[i], 10 * id);
      ids.insert(static_cast<int>(id));
    }
  }
  EXPECT_EQ(ids.size(), 45u);  // No row in two splits.
  // The rows are shuffled: train is not simply the first 20 rows.
  std::vector<double> train_ids;
  for (int i = 0; i < dataset.train.size(); ++i) train_ids.push_back(dataset.train.features[2 * i]);
  EXPECT_FALSE(std::is_sorted(train_ids.begin(), train_ids.end()));
}

TEST(CsvTaskTest, SameSeedSameTaskOtherSeedOtherShuffle) {
  const std::string path = WriteCsv("seeds.csv", IdTable(40));
  const TaskSpec spec = CsvSpec(path, "y", 2, 20, 10, 5);
  const Dataset a = GenerateOne(spec, 3);
  const Dataset b = GenerateOne(spec, 3);
  const Dataset c = GenerateOne(spec, 4);
  EXPECT_EQ(a.train.features, b.train.features);
  EXPECT_EQ(a.train.labels, b.train.labels);
  EXPECT_EQ(a.valid.labels, b.valid.labels);
  EXPECT_EQ(a.test.labels, b.test.labels);
  EXPECT_NE(a.train.labels, c.train.labels);
}

TEST(CsvTaskTest, CountsMustFitTheFile) {
  const std::string path = WriteCsv("small.csv", IdTable(10));
  const std::string message = GenerateTaskError(CsvSpec(path, "y", 2, 6, 3, 2));
  EXPECT_THAT(message, HasSubstr(absl::StrCat(path,
                                              " has 10 data rows, fewer than num_train_examples + "
                                              "num_valid_examples + num_test_examples = 11")));
}

// --- Features ---

TEST(CsvTaskTest, StandardizesWithTrainStatistics) {
  const std::string path = WriteCsv("standardize.csv", IdTable(60));
  const TaskSpec spec = CsvSpec(path, "y", 2, 30, 20, 10);
  const Dataset dataset = GenerateOne(spec, 11);
  for (int column = 0; column < 2; ++column) {
    EXPECT_NEAR(Mean(dataset.train.features, 2, column), 0.0, 1e-12);
    EXPECT_NEAR(StdDev(dataset.train.features, 2, column), 1.0, 1e-12);
  }
  // Every split uses the train split's mean and std: feature 0 is (id - m) / s with the m and
  // s of the train ids (labels are 10 id and not standardized).
  std::vector<double> train_ids;
  for (double label : dataset.train.labels) train_ids.push_back(label / 10);
  const double m = Mean(train_ids, 1, 0);
  const double s = StdDev(train_ids, 1, 0);
  for (const DataSplit* split : {&dataset.train, &dataset.valid, &dataset.test}) {
    for (int i = 0; i < split->size(); ++i) {
      EXPECT_NEAR(split->features[2 * i], (split->labels[i] / 10 - m) / s, 1e-12);
    }
  }
  EXPECT_GT(std::abs(Mean(dataset.valid.features, 2, 0)), 1e-6);  // Not its own statistics.
}

TEST(CsvTaskTest, ConstantColumnIsCentredAndFewerColumnsArePaddedWithZeros) {
  const std::string path = WriteCsv(
      "constant.csv", "c,x,y\n" + [] {
        std::string rows;
        for (int i = 0; i < 20; ++i) absl::StrAppend(&rows, "0.1,", i * i, ",", i, "\n");
        return rows;
      }());
  TaskSpec spec = CsvSpec(path, "y", 4, 12, 8);
  spec.mutable_csv()->set_standardize_label(true);
  const Dataset dataset = GenerateOne(spec, 1);
  for (int i = 0; i < dataset.train.size(); ++i) {
    EXPECT_EQ(dataset.train.features[4 * i], 0.0);  // Constant 0.1, centred, not scaled.
    EXPECT_EQ(dataset.train.features[4 * i + 2], 0.0);
    EXPECT_EQ(dataset.train.features[4 * i + 3], 0.0);
  }
  EXPECT_NEAR(StdDev(dataset.train.features, 4, 1), 1.0, 1e-12);
  EXPECT_NEAR(Mean(dataset.train.labels, 1, 0), 0.0, 1e-12);
  EXPECT_NEAR(StdDev(dataset.train.labels, 1, 0), 1.0, 1e-12);
}

// Six columns c0..c5 of unrelated values, label y.
std::string WideTable(int rows) {
  Rng rng(99);
  std::string text = "c0,c1,c2,c3,c4,c5,y\n";
  for (int i = 0; i < rows; ++i) {
    for (int k = 0; k < 6; ++k) absl::StrAppend(&text, rng.Gaussian(k, 1.0 + k), ",");
    absl::StrAppend(&text, i, "\n");
  }
  return text;
}

// The raw columns of each example of `split`, found by its label (the row index).
Eigen::MatrixXd RawColumns(const CsvTable& table, const DataSplit& split) {
  Eigen::MatrixXd raw(split.size(), 6);
  for (int i = 0; i < split.size(); ++i) {
    const int row = static_cast<int>(split.labels[i]);
    for (int k = 0; k < 6; ++k) raw(i, k) = *table.Number(row, k);
  }
  return raw;
}

TEST(CsvTaskTest, FirstColumnsSelectsAndProjectionMixesAllColumns) {
  const std::string text = WideTable(80);
  const std::string path = WriteCsv("wide.csv", text);
  const absl::StatusOr<CsvTable> table = ParseCsv(text, path);
  ASSERT_TRUE(table.ok());

  TaskSpec select = CsvSpec(path, "y", 2, 50, 30);
  select.mutable_csv()->set_reduction(CsvTaskSpec::FIRST_COLUMNS);
  select.mutable_csv()->set_standardize_features(false);
  const Dataset selected = GenerateOne(select, 5);
  const Eigen::MatrixXd raw = RawColumns(*table, selected.train);
  for (int i = 0; i < selected.train.size(); ++i) {
    EXPECT_EQ(selected.train.features[2 * i], raw(i, 0));
    EXPECT_EQ(selected.train.features[2 * i + 1], raw(i, 1));
  }

  TaskSpec project = CsvSpec(path, "y", 2, 50, 30);  // GAUSSIAN_PROJECTION is the default.
  const Dataset projected = GenerateOne(project, 5);
  // Standardized after the projection too.
  for (int column = 0; column < 2; ++column) {
    EXPECT_NEAR(Mean(projected.train.features, 2, column), 0.0, 1e-12);
    EXPECT_NEAR(StdDev(projected.train.features, 2, column), 1.0, 1e-12);
  }
  // Each projected feature is an affine function of all six raw columns: regress it on them
  // (plus an intercept); the fit is exact and every weight is far from 0.
  Eigen::MatrixXd design(projected.train.size(), 7);
  design << RawColumns(*table, projected.train), Eigen::VectorXd::Ones(projected.train.size());
  for (int j = 0; j < 2; ++j) {
    Eigen::VectorXd target(projected.train.size());
    for (int i = 0; i < projected.train.size(); ++i)
      target(i) = projected.train.features[2 * i + j];
    const Eigen::VectorXd weights = design.colPivHouseholderQr().solve(target);
    EXPECT_LT((design * weights - target).norm(), 1e-9);
    for (int k = 0; k < 6; ++k) EXPECT_GT(std::abs(weights(k)), 1e-3) << "feature " << j;
  }
  // The projection comes from the data seed: another seed, another projection.
  const Dataset other = GenerateOne(project, 6);
  design.resize(other.train.size(), 7);
  design << RawColumns(*table, other.train), Eigen::VectorXd::Ones(other.train.size());
  Eigen::VectorXd target(other.train.size());
  for (int i = 0; i < other.train.size(); ++i) target(i) = other.train.features[2 * i];
  const Eigen::VectorXd other_weights = design.colPivHouseholderQr().solve(target);
  Eigen::VectorXd first_target(projected.train.size());
  Eigen::MatrixXd first_design(projected.train.size(), 7);
  first_design << RawColumns(*table, projected.train),
      Eigen::VectorXd::Ones(projected.train.size());
  for (int i = 0; i < projected.train.size(); ++i) {
    first_target(i) = projected.train.features[2 * i];
  }
  const Eigen::VectorXd first_weights = first_design.colPivHouseholderQr().solve(first_target);
  EXPECT_GT((first_weights.head(6).normalized() - other_weights.head(6).normalized()).norm(), 0.1);
}

// --- Groups ---

TEST(CsvTaskTest, GroupsNumberTextByFirstAppearanceAndKeepIntegers) {
  std::string text = "x,g,n,y\n";
  const std::vector<std::string> names = {"b", "a", "b", "c", "a", "c", "b", "a", "c", "b"};
  const std::vector<int> text_ids = {0, 1, 0, 2, 1, 2, 0, 1, 2, 0};
  for (int i = 0; i < 10; ++i) {
    absl::StrAppend(&text, i * 0.5, ",", names[i], ",", i % 2 == 0 ? 7 : 3, ",", i, "\n");
  }
  const std::string path = WriteCsv("groups.csv", text);

  TaskSpec spec = CsvSpec(path, "y", 2, 6, 4);
  spec.mutable_csv()->add_feature_columns("x");
  spec.mutable_csv()->set_group_column("g");
  const Dataset by_name = GenerateOne(spec, 2);
  spec.mutable_csv()->set_group_column("n");
  const Dataset by_number = GenerateOne(spec, 2);
  for (const Dataset* dataset : {&by_name, &by_number}) {
    EXPECT_EQ(dataset->train.groups.size(), 6u);
    EXPECT_EQ(dataset->valid.groups.size(), 4u);
  }
  for (int s = 0; s < 2; ++s) {
    const DataSplit& named = s == 0 ? by_name.train : by_name.valid;
    const DataSplit& numbered = s == 0 ? by_number.train : by_number.valid;
    for (int i = 0; i < named.size(); ++i) {
      const int row = static_cast<int>(named.labels[i]);
      EXPECT_EQ(named.groups[i], text_ids[row]);
      EXPECT_EQ(numbered.groups[i], row % 2 == 0 ? 7 : 3);
    }
  }
  // The group column is left out of the default features, but the other columns are not:
  // with group n, the text column g becomes a feature and fails on its first cell.
  TaskSpec defaults = CsvSpec(path, "y", 2, 6, 4);
  defaults.mutable_csv()->set_group_column("n");
  EXPECT_THAT(GenerateTaskError(defaults),
              HasSubstr(absl::StrCat(path, ": row 2, column \"g\": \"b\" is not a number")));
  defaults.mutable_csv()->add_ignored_columns("g");
  EXPECT_EQ(GenerateOne(defaults, 2).train.size(), 6);
}

// --- Classification labels ---

TEST(CsvTaskTest, TwoClassesMapToZeroAndOne) {
  std::string text = "x,animal,sign,flag\n";
  for (int i = 0; i < 12; ++i) {
    absl::StrAppend(&text, i, ",", i % 3 == 0 ? "dog" : "cat", ",", i % 3 == 0 ? "1" : "-1", ",",
                    i % 3 == 0 ? "1.0" : (i % 2 == 0 ? "0" : "0.0"), "\n");
  }
  const std::string path = WriteCsv("classes.csv", text);
  auto spec_for = [&](const std::string& label) {
    TaskSpec spec = CsvSpec(path, label, 2, 8, 4);
    spec.mutable_csv()->set_kind(CsvTaskSpec::BINARY_CLASSIFICATION);
    spec.mutable_csv()->add_feature_columns("x");
    spec.set_eval_type(ACCURACY);
    spec.mutable_csv()->set_standardize_features(false);
    return spec;
  };
  // Default positive class: "dog" (lexicographically larger), 1 (larger number), and 1.0
  // ("0" and "0.0" are one class because every cell is a number).
  for (const std::string& label : {"animal", "sign", "flag"}) {
    const Dataset dataset = GenerateOne(spec_for(label), 1);
    EXPECT_EQ(dataset.eval_type, EvalType::kAccuracy);
    for (int i = 0; i < dataset.train.size(); ++i) {
      const int row = static_cast<int>(dataset.train.features[2 * i]);
      EXPECT_EQ(dataset.train.labels[i], row % 3 == 0 ? 1.0 : 0.0) << label << " row " << row;
    }
  }
  TaskSpec cat = spec_for("animal");
  cat.mutable_csv()->set_positive_label("cat");
  TaskSpec minus = spec_for("sign");
  minus.mutable_csv()->set_positive_label("-1.0");  // Compared as a number.
  for (const TaskSpec& spec : {cat, minus}) {
    const Dataset dataset = GenerateOne(spec, 1);
    for (int i = 0; i < dataset.train.size(); ++i) {
      const int row = static_cast<int>(dataset.train.features[2 * i]);
      EXPECT_EQ(dataset.train.labels[i], row % 3 == 0 ? 0.0 : 1.0);
    }
  }
  TaskSpec unknown = spec_for("animal");
  unknown.mutable_csv()->set_positive_label("cow");
  EXPECT_THAT(GenerateTaskError(unknown),
              HasSubstr(absl::StrCat(path,
                                     ": positive_label \"cow\" is not one of the classes "
                                     "of column \"animal\" (\"dog\", \"cat\")")));
}

// --- Bad input: one line naming the row (as the file's line) and the column ---

TEST(CsvTaskTest, BadInputMessagesNameRowAndColumn) {
  struct Case {
    std::string file;
    std::string contents;
    CsvTaskSpec::Kind kind;
    std::string message;  // After "PATH: ".
  };
  const std::vector<Case> cases = {
      {"missing_column.csv", "a,b\n1,2\n3,4\n5,6\n", CsvTaskSpec::REGRESSION,
       "no column \"y\" (label_column); the header has \"a\", \"b\""},
      {"not_number.csv", "a,y\n1,2\n3,4\n\n5x,6\n", CsvTaskSpec::REGRESSION,
       "row 5, column \"a\": \"5x\" is not a number"},
      {"nan.csv", "a,y\n1,2\n3,NaN\n5,6\n", CsvTaskSpec::REGRESSION,
       "row 3, column \"y\": \"NaN\" (NaN) is not allowed"},
      {"empty_cell.csv", "a,y\n1,2\n,4\n5,6\n", CsvTaskSpec::REGRESSION,
       "row 3, column \"a\": empty cell where a number is needed"},
      {"one_class.csv", "a,y\n1,yes\n3,yes\n5,yes\n", CsvTaskSpec::BINARY_CLASSIFICATION,
       "column \"y\" has only one class, \"yes\"; binary classification needs two"},
      {"three_classes.csv", "a,y\n1,yes\n3,no\n5,yes\n7,maybe\n",
       CsvTaskSpec::BINARY_CLASSIFICATION,
       "row 5, column \"y\": a third class \"maybe\" besides \"yes\" and \"no\"; binary "
       "classification needs exactly two"},
      {"empty_label.csv", "a,y\n1,yes\n3,\n5,no\n", CsvTaskSpec::BINARY_CLASSIFICATION,
       "row 3, column \"y\": empty cell where a label is needed"},
      {"no_rows.csv", "a,y\n\n", CsvTaskSpec::REGRESSION, "no data rows after the header"},
      {"ragged.csv", "a,y\n1,2\n3\n", CsvTaskSpec::REGRESSION,
       "row 3 has 1 fields but the header (row 1) has 2 columns"},
  };
  for (const Case& c : cases) {
    const std::string path = WriteCsv(c.file, c.contents);
    TaskSpec spec = CsvSpec(path, "y", 2, 1, 1);
    spec.mutable_csv()->set_kind(c.kind);
    if (c.kind == CsvTaskSpec::BINARY_CLASSIFICATION) spec.set_eval_type(ACCURACY);
    const std::string message = GenerateTaskError(spec);
    // One line: the task's name, then the file, the place and the problem.
    EXPECT_EQ(message, absl::StrCat("csv(data_seed=1, param_seed=1): ", path, ": ", c.message))
        << c.file;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
  // A feature column that does not exist.
  const std::string path = WriteCsv("missing_feature.csv", "a,y\n1,2\n3,4\n");
  TaskSpec spec = CsvSpec(path, "y", 2, 1, 1);
  spec.mutable_csv()->add_feature_columns("b");
  EXPECT_THAT(GenerateTaskError(spec),
              HasSubstr(absl::StrCat(path, ": no column \"b\" (feature_columns)")));
  // A missing file.
  EXPECT_THAT(GenerateTaskError(CsvSpec("/nonexistent/x.csv", "y", 2, 1, 1)),
              HasSubstr("cannot open CSV file '/nonexistent/x.csv'"));
}

TEST(CsvTaskTest, SpecFieldErrors) {
  struct Case {
    std::function<void(TaskSpec&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](TaskSpec& s) { s.mutable_csv()->clear_path(); }, "csv.path is not set"},
      {[](TaskSpec& s) { s.mutable_csv()->clear_label_column(); }, "csv.label_column is not set"},
      {[](TaskSpec& s) { s.mutable_csv()->clear_kind(); },
       "csv.kind is not set (REGRESSION or BINARY_CLASSIFICATION)"},
      {[](TaskSpec& s) { s.mutable_csv()->set_kind(CsvTaskSpec::BINARY_CLASSIFICATION); },
       "csv.kind BINARY_CLASSIFICATION needs eval_type: ACCURACY (or RMS_ERROR) in the task "
       "spec"},
      {[](TaskSpec& s) { s.set_eval_type(ACCURACY); },
       "csv.kind REGRESSION cannot be scored with eval_type ACCURACY (use kind "
       "BINARY_CLASSIFICATION)"},
      {[](TaskSpec& s) { s.mutable_csv()->set_positive_label("1"); },
       "csv.positive_label is only for kind BINARY_CLASSIFICATION"},
      {[](TaskSpec& s) { s.mutable_csv()->add_feature_columns("y"); },
       "csv.feature_columns includes the label column \"y\""},
      {[](TaskSpec& s) {
         s.mutable_csv()->add_feature_columns("a");
         s.mutable_csv()->add_feature_columns("a");
       },
       "csv.feature_columns lists \"a\" twice"},
      {[](TaskSpec& s) {
         s.mutable_csv()->add_feature_columns("a");
         s.mutable_csv()->add_ignored_columns("b");
       },
       "csv.ignored_columns cannot be combined with feature_columns (list only the features)"},
      {[](TaskSpec& s) { s.mutable_csv()->set_group_column("y"); },
       "csv.group_column is the label column \"y\""},
  };
  for (const Case& c : cases) {
    TaskSpec spec = CsvSpec("unused.csv", "y", 2, 1, 1);
    c.edit(spec);
    const absl::Status status = ValidateTaskSpec(spec);
    EXPECT_EQ(status.message(), c.message);
  }
}

// --- The cache ---

TEST(CsvTaskTest, FileIsReadOncePerProcess) {
  const std::string path = WriteCsv("cached.csv", IdTable(20));
  const TaskSpec spec = CsvSpec(path, "y", 2, 10, 5);
  const Dataset before = GenerateOne(spec, 1);
  WriteCsv("cached.csv", "this is no longer,a valid table\n\"");
  const Dataset after = GenerateOne(spec, 1);
  EXPECT_EQ(before.train.features, after.train.features);
  EXPECT_EQ(before.valid.labels, after.valid.labels);
}

// --- Learning on a CSV ---

// y = 2 a - 3 b + 0.5 c + d + 4, with columns on different scales and offsets.
std::string LinearTable(int rows) {
  Rng rng(2024);
  std::string text = "a,b,c,d,y\n";
  for (int i = 0; i < rows; ++i) {
    const double a = rng.Gaussian(5.0, 2.0);
    const double b = rng.Gaussian(-1.0, 0.5);
    const double c = rng.Uniform(0.0, 10.0);
    const double d = rng.Gaussian(0.0, 1.0);
    absl::StrAppend(&text, a, ",", b, ",", c, ",", d, ",", 2 * a - 3 * b + 0.5 * c + d + 4, "\n");
  }
  return text;
}

TEST(CsvTaskTest, LinearRegressionProgramFitsALinearCsv) {
  const std::string path = WriteCsv("linear.csv", LinearTable(300));
  TaskSpec spec = CsvSpec(path, "y", 4, 200, 100);
  // The program has no intercept: centring the label (with the features) makes the relation
  // exactly linear in the standardized features.
  spec.mutable_csv()->set_standardize_label(true);
  spec.set_num_tasks(2);
  spec.set_num_epochs(3);
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ExecutorOptions options;
  options.shape = MinimumShapeForLinearRegression(4);
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(*datasets, options);
  ASSERT_TRUE(executor.ok()) << executor.status();
  const double fitness = (*executor)->Evaluate(LinearRegressionSgdProgram(0.05)).quality;
  EXPECT_GT(fitness, 0.99);  // RMSE below 0.016 standard deviations of y.
  // A program that learns nothing (predicts 0) is far worse.
  EXPECT_LT((*executor)->Evaluate(NoOpProgram(1, 1, 1)).quality, 0.6);
}

TEST(CsvTaskTest, LogisticRegressionProgramClassifiesASeparableCsv) {
  Rng rng(7);
  std::string text = "u,v,label\n";
  for (int i = 0; i < 300; ++i) {
    const double u = rng.Gaussian(0.0, 3.0);
    const double v = rng.Gaussian(10.0, 1.0);
    absl::StrAppend(&text, u, ",", v, ",", u - 2 * (v - 10) > 0 ? "pos" : "neg", "\n");
  }
  const std::string path = WriteCsv("separable.csv", text);
  TaskSpec spec = CsvSpec(path, "label", 2, 200, 100);
  spec.mutable_csv()->set_kind(CsvTaskSpec::BINARY_CLASSIFICATION);
  spec.set_eval_type(ACCURACY);
  spec.set_num_epochs(3);
  absl::StatusOr<std::vector<Dataset>> datasets = GenerateTasks(spec);
  ASSERT_TRUE(datasets.ok()) << datasets.status();
  ExecutorOptions options;
  options.shape = MinimumShapeForLogisticRegression(2);
  absl::StatusOr<std::unique_ptr<Executor>> executor = Executor::Create(*datasets, options);
  ASSERT_TRUE(executor.ok()) << executor.status();
  EXPECT_GT((*executor)->Evaluate(LogisticRegressionSgdProgram(0.5)).quality, 0.9);
}

}  // namespace
}  // namespace automl
