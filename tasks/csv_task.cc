// The csv family: real tabular data as proxy tasks. Each task is one shuffle of a CSV file's
// rows (by the data seed) into train / valid / test, turned into F features per example.
//
// The rules (the fields are in CsvTaskSpec, tasks/task_spec.proto):
//   - Columns are named by the header (tasks/csv_dataset.h has the CSV dialect). Feature
//     columns default to every column but the label, group and ignored ones, in file order.
//     Only the columns used are read as numbers; others may hold any text.
//   - Sizes: TaskSpec.num_train/valid/test_examples are required, as in every family, and
//     their sum must not exceed the file's data rows. The data seed shuffles the rows; train
//     takes the first num_train_examples, valid the next, test the next; the rest go unused,
//     so smaller counts subsample the file. There are no fraction fields: the counts already
//     say it, and mean the same in every family.
//   - Labels: REGRESSION reads numbers. BINARY_CLASSIFICATION needs exactly two distinct
//     values (compared as numbers if every label cell is a number, so "1" and "1.0" are one
//     class; else as text) and maps positive_label (default: the larger number, or the
//     lexicographically larger text) to 1 and the other to 0. The eval_type must be given
//     explicitly for classification, because the family's default is RMS_ERROR.
//   - Features: with standardize_features every column is shifted and scaled by the train
//     split's mean and standard deviation (population, divide by n); a constant column is only
//     centred. More columns (k) than F: GAUSSIAN_PROJECTION multiplies by a k x F matrix of
//     N(0, 1) values drawn from the data seed, then standardizes the F outputs again (so every
//     feature still has train mean 0 and std 1), or FIRST_COLUMNS keeps the first F columns.
//     Fewer than F: the missing features are 0 (the executor only compiles a few sizes, so an
//     error would make most files unusable; a zero feature adds nothing to a dot product, but
//     it does count in ops that average over the vector, such as mean and std).
//   - Groups: the group column's values, non-negative integers as they are, any other text
//     numbered 0, 1, ... by first appearance in the file (not in shuffled order, so that ids
//     mean the same in every task).
//   - The file is read once per process and per CsvTaskSpec (tasks are generated many times
//     with different seeds); edits to it during a run are not seen.
//   - The param seed is unused: there is no teacher.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "executor/data_streams.h"
#include "executor/dataset.h"
#include "instructions/random.h"
#include "instructions/status_macros.h"
#include "instructions/text_input.h"
#include "tasks/csv_dataset.h"
#include "tasks/feature_transforms.h"
#include "tasks/task_family.h"
#include "tasks/task_spec.pb.h"

namespace automl {
namespace {

// The columns a spec uses, as numbers, in file order.
struct CsvData {
  int num_rows = 0;
  int num_columns = 0;           // Feature columns (k).
  std::vector<double> features;  // num_rows x num_columns, row-major.
  std::vector<double> labels;
  std::vector<int> groups;  // Empty without a group column.
};

// --- Validation of the spec's own fields ---

absl::Status ValidateCsv(const TaskSpec& spec) {
  const CsvTaskSpec& csv = spec.csv();
  if (csv.path().empty()) return absl::InvalidArgumentError("path is not set");
  if (csv.label_column().empty()) return absl::InvalidArgumentError("label_column is not set");
  if (csv.kind() == CsvTaskSpec::KIND_UNSET) {
    return absl::InvalidArgumentError("kind is not set (REGRESSION or BINARY_CLASSIFICATION)");
  }
  if (csv.kind() == CsvTaskSpec::REGRESSION && spec.eval_type() == ACCURACY) {
    return absl::InvalidArgumentError(
        "kind REGRESSION cannot be scored with eval_type ACCURACY (use kind "
        "BINARY_CLASSIFICATION)");
  }
  if (csv.kind() == CsvTaskSpec::BINARY_CLASSIFICATION && spec.eval_type() == EVAL_TYPE_UNSET) {
    return absl::InvalidArgumentError(
        "kind BINARY_CLASSIFICATION needs eval_type: ACCURACY (or RMS_ERROR) in the task spec");
  }
  if (csv.has_positive_label() && csv.kind() != CsvTaskSpec::BINARY_CLASSIFICATION) {
    return absl::InvalidArgumentError("positive_label is only for kind BINARY_CLASSIFICATION");
  }
  if (csv.standardize_label() && csv.kind() != CsvTaskSpec::REGRESSION) {
    return absl::InvalidArgumentError("standardize_label is only for kind REGRESSION");
  }
  if (csv.reduction() == CsvTaskSpec::FEATURE_REDUCTION_UNSET) {
    return absl::InvalidArgumentError("reduction must be GAUSSIAN_PROJECTION or FIRST_COLUMNS");
  }
  if (csv.has_group_column() && csv.group_column() == csv.label_column()) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_column is the label column \"", csv.label_column(), "\""));
  }
  if (csv.feature_columns_size() > 0 && csv.ignored_columns_size() > 0) {
    return absl::InvalidArgumentError(
        "ignored_columns cannot be combined with feature_columns (list only the features)");
  }
  std::set<std::string> listed;
  for (const std::string& name : csv.feature_columns()) {
    if (name == csv.label_column()) {
      return absl::InvalidArgumentError(
          absl::StrCat("feature_columns includes the label column \"", name, "\""));
    }
    if (!listed.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("feature_columns lists \"", name, "\" twice"));
    }
  }
  return absl::OkStatus();
}

// --- Reading the file ---

absl::StatusOr<int> FindColumn(const CsvTable& table, const std::string& name, const char* field) {
  const int index = table.ColumnIndex(name);
  if (index >= 0) return index;
  return absl::InvalidArgumentError(absl::StrCat(table.source(), ": no column \"", name, "\" (",
                                                 field, "); the header has \"",
                                                 absl::StrJoin(table.header(), "\", \""), "\""));
}

absl::StatusOr<std::vector<int>> FeatureColumns(const CsvTable& table, const CsvTaskSpec& csv,
                                                int label_column, int group_column) {
  std::vector<int> columns;
  if (csv.feature_columns_size() > 0) {
    for (const std::string& name : csv.feature_columns()) {
      ASSIGN_OR_RETURN(const int column, FindColumn(table, name, "feature_columns"));
      columns.push_back(column);
    }
    return columns;
  }
  std::vector<bool> excluded(table.num_columns(), false);
  excluded[label_column] = true;
  if (group_column >= 0) excluded[group_column] = true;
  for (const std::string& name : csv.ignored_columns()) {
    ASSIGN_OR_RETURN(const int column, FindColumn(table, name, "ignored_columns"));
    excluded[column] = true;
  }
  for (int k = 0; k < table.num_columns(); ++k) {
    if (!excluded[k]) columns.push_back(k);
  }
  if (columns.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        table.source(), ": no feature columns are left besides the label, group and ignored ones"));
  }
  return columns;
}

absl::StatusOr<std::vector<double>> ClassLabels(const CsvTable& table, const CsvTaskSpec& csv,
                                                int column) {
  const int n = table.num_rows();
  bool numeric = true;
  std::vector<double> numbers(n, 0.0);
  for (int r = 0; r < n; ++r) {
    if (table.cell(r, column).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(table.CellLocation(r, column), ": empty cell where a label is needed"));
    }
    if (!ParseCsvNumber(table.cell(r, column), &numbers[r])) {
      numeric = false;
    } else if (!std::isfinite(numbers[r])) {
      // As in every numeric column: NaN and infinities are errors, not text classes.
      return table.Number(r, column).status();
    }
  }
  auto same = [&](int a, int b) {
    return numeric ? numbers[a] == numbers[b] : table.cell(a, column) == table.cell(b, column);
  };
  // The first row of each class, in order of appearance.
  std::vector<int> class_rows;
  std::vector<int> class_of(n, 0);
  for (int r = 0; r < n; ++r) {
    int c = 0;
    while (c < static_cast<int>(class_rows.size()) && !same(class_rows[c], r)) ++c;
    if (c == static_cast<int>(class_rows.size())) {
      if (c == 2) {
        return absl::InvalidArgumentError(
            absl::StrCat(table.CellLocation(r, column), ": a third class \"",
                         QuoteForError(table.cell(r, column)), "\" besides \"",
                         QuoteForError(table.cell(class_rows[0], column)), "\" and \"",
                         QuoteForError(table.cell(class_rows[1], column)),
                         "\"; binary classification needs exactly two"));
      }
      class_rows.push_back(r);
    }
    class_of[r] = c;
  }
  const std::string first = table.cell(class_rows[0], column);
  if (class_rows.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(table.source(), ": column \"", table.header()[column],
                     "\" has only one class, \"", first, "\"; binary classification needs two"));
  }
  const std::string second = table.cell(class_rows[1], column);
  int positive = 0;
  if (csv.has_positive_label()) {
    double value = 0.0;
    const bool positive_is_number = ParseCsvNumber(csv.positive_label(), &value);
    auto matches = [&](int c) {
      return numeric ? positive_is_number && value == numbers[class_rows[c]]
                     : csv.positive_label() == table.cell(class_rows[c], column);
    };
    if (matches(0)) {
      positive = 0;
    } else if (matches(1)) {
      positive = 1;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(table.source(), ": positive_label \"", csv.positive_label(),
                       "\" is not one of the classes of column \"", table.header()[column],
                       "\" (\"", first, "\", \"", second, "\")"));
    }
  } else {
    const bool second_larger =
        numeric ? numbers[class_rows[1]] > numbers[class_rows[0]] : second > first;
    positive = second_larger ? 1 : 0;
  }
  std::vector<double> labels(n);
  for (int r = 0; r < n; ++r) labels[r] = class_of[r] == positive ? 1.0 : 0.0;
  return labels;
}

absl::StatusOr<std::vector<int>> GroupIds(const CsvTable& table, int column) {
  const int n = table.num_rows();
  std::vector<int> groups(n, 0);
  bool integers = true;
  for (int r = 0; r < n; ++r) {
    const std::string& text = table.cell(r, column);
    if (text.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(table.CellLocation(r, column), ": empty cell where a group is needed"));
    }
    if (integers && (!absl::SimpleAtoi(text, &groups[r]) || groups[r] < 0)) integers = false;
  }
  if (integers) return groups;
  std::map<std::string, int> ids;
  for (int r = 0; r < n; ++r) {
    const auto [it, inserted] = ids.emplace(table.cell(r, column), static_cast<int>(ids.size()));
    groups[r] = it->second;
  }
  return groups;
}

absl::StatusOr<CsvData> ExtractCsvData(const CsvTaskSpec& csv) {
  ASSIGN_OR_RETURN(const CsvTable table, ReadCsvFile(csv.path()));
  if (table.num_rows() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(csv.path(), ": no data rows after the header"));
  }
  ASSIGN_OR_RETURN(const int label_column, FindColumn(table, csv.label_column(), "label_column"));
  int group_column = -1;
  if (csv.has_group_column()) {
    ASSIGN_OR_RETURN(group_column, FindColumn(table, csv.group_column(), "group_column"));
  }
  ASSIGN_OR_RETURN(const std::vector<int> columns,
                   FeatureColumns(table, csv, label_column, group_column));

  CsvData data;
  data.num_rows = table.num_rows();
  data.num_columns = static_cast<int>(columns.size());
  data.features.reserve(static_cast<size_t>(data.num_rows) * data.num_columns);
  for (int r = 0; r < data.num_rows; ++r) {
    for (int column : columns) {
      ASSIGN_OR_RETURN(const double value, table.Number(r, column));
      data.features.push_back(value);
    }
  }
  if (csv.kind() == CsvTaskSpec::BINARY_CLASSIFICATION) {
    ASSIGN_OR_RETURN(data.labels, ClassLabels(table, csv, label_column));
  } else {
    data.labels.reserve(data.num_rows);
    for (int r = 0; r < data.num_rows; ++r) {
      ASSIGN_OR_RETURN(const double value, table.Number(r, label_column));
      data.labels.push_back(value);
    }
  }
  if (group_column >= 0) {
    ASSIGN_OR_RETURN(data.groups, GroupIds(table, group_column));
  }
  return data;
}

// Parsed files by spec: a search generates the same spec's tasks many times (select tasks get
// fresh seeds per experiment), and parsing dominates the cost of a task. Errors are not kept.
absl::StatusOr<std::shared_ptr<const CsvData>> LoadCsvData(const CsvTaskSpec& csv) {
  static std::mutex* const mutex = new std::mutex;
  static auto* const cache = new std::map<std::string, std::shared_ptr<const CsvData>>;
  const std::string key = csv.SerializeAsString();
  // Held while parsing, so that threads generating tasks of one file parse it once.
  std::lock_guard<std::mutex> lock(*mutex);
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  ASSIGN_OR_RETURN(CsvData data, ExtractCsvData(csv));
  auto shared = std::make_shared<const CsvData>(std::move(data));
  cache->emplace(key, shared);
  return shared;
}

// --- Building one task ---

// The order in which the task with data seed `data_seed` takes the rows.
std::vector<int> ShuffledRows(int num_rows, uint64_t data_seed) {
  std::vector<int> order(num_rows);
  for (int r = 0; r < num_rows; ++r) order[r] = r;
  Rng shuffle_rng(DeriveSeed(data_seed, kCsvRowShuffleStream));
  for (int i = num_rows - 1; i > 0; --i) {
    std::swap(order[i], order[shuffle_rng.UniformInt(static_cast<uint32_t>(i) + 1)]);
  }
  return order;
}

// Fills the features of every split of `dataset` (whose labels are set) from the k columns of
// its rows in `columns` (train, valid, test): projected to F or cut / zero-padded to F.
void ReduceColumns(const TaskSpec& spec, uint64_t data_seed, int k,
                   const std::vector<double> (&columns)[3], Dataset& dataset) {
  const CsvTaskSpec& csv = spec.csv();
  const int f = spec.feature_size();
  std::optional<GaussianProjection> projection;
  if (k > f && csv.reduction() == CsvTaskSpec::GAUSSIAN_PROJECTION) {
    projection.emplace(k, f, DeriveSeed(data_seed, kCsvProjectionStream));
  }
  for (int s = 0; s < 3; ++s) {
    DataSplit& split = GetSplit(dataset, kAllSplitKinds[s]);
    const size_t n = split.labels.size();
    split.features.assign(n * f, 0.0);
    for (size_t i = 0; i < n; ++i) {
      const double* x = &columns[s][i * k];
      double* out = &split.features[i * f];
      if (projection.has_value()) {
        projection->Project(x, out);
      } else {
        // FIRST_COLUMNS, or k <= f with zero padding.
        for (int j = 0; j < std::min(k, f); ++j) out[j] = x[j];
      }
    }
  }
  if (projection.has_value() && csv.standardize_features()) {
    StandardizeColumns({&dataset.train.features, &dataset.valid.features, &dataset.test.features},
                       f);
  }
}

absl::StatusOr<Dataset> GenerateCsv(const TaskSpec& spec, uint64_t data_seed,
                                    uint64_t /*param_seed*/) {
  const CsvTaskSpec& csv = spec.csv();
  ASSIGN_OR_RETURN(const std::shared_ptr<const CsvData> loaded, LoadCsvData(csv));
  const CsvData& data = *loaded;
  const int64_t needed =
      int64_t{spec.num_train_examples()} + spec.num_valid_examples() + spec.num_test_examples();
  if (needed > data.num_rows) {
    return absl::InvalidArgumentError(
        absl::StrCat(csv.path(), " has ", data.num_rows,
                     " data rows, fewer than num_train_examples + num_valid_examples + "
                     "num_test_examples = ",
                     needed));
  }

  // Feature columns per split (train, valid, test), labels and groups, in shuffled row order.
  const std::vector<int> order = ShuffledRows(data.num_rows, data_seed);
  const int k = data.num_columns;
  std::vector<double> columns[3];
  Dataset dataset;
  int next = 0;
  for (int s = 0; s < 3; ++s) {
    DataSplit& split = GetSplit(dataset, kAllSplitKinds[s]);
    const int n = NumExamples(spec, kAllSplitKinds[s]);
    columns[s].reserve(static_cast<size_t>(n) * k);
    split.labels.reserve(n);
    for (int i = 0; i < n; ++i) {
      const int row = order[next++];
      columns[s].insert(columns[s].end(), data.features.begin() + static_cast<size_t>(row) * k,
                        data.features.begin() + static_cast<size_t>(row + 1) * k);
      split.labels.push_back(data.labels[row]);
      if (!data.groups.empty()) split.groups.push_back(data.groups[row]);
    }
  }
  if (csv.standardize_features()) StandardizeColumns({&columns[0], &columns[1], &columns[2]}, k);
  ReduceColumns(spec, data_seed, k, columns, dataset);
  if (csv.standardize_label()) {
    StandardizeColumns({&dataset.train.labels, &dataset.valid.labels, &dataset.test.labels}, 1);
  }
  return dataset;
}

TaskFamily CsvFamily() {
  TaskFamily family;
  family.family_case = TaskSpec::kCsv;
  family.default_eval_type = EvalType::kRmsError;
  family.other_eval_types = {EvalType::kAccuracy};
  family.validate = ValidateCsv;
  family.generate = GenerateCsv;
  return family;
}

AUTOML_REGISTER_TASK_FAMILY(CsvFamily());

}  // namespace
}  // namespace automl
