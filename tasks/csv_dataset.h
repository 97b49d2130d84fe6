// Reads CSV files into a table of text cells, for the csv task family (tasks/csv_task.cc) and
// anything else that loads tabular data. Errors name the place as a spreadsheet user sees it:
// the 1-based row (the header is row 1 of a file without blank lines) and the column by name.
//
// The dialect (RFC 4180 plus leniencies common in hand-edited files):
//   - Fields are separated by commas; records end at "\n", "\r\n" or "\r".
//   - The first non-blank record is the header and is required; column names must be
//     non-empty and distinct. Every data record must have as many fields as the header.
//   - A field may be quoted: "a, b" keeps its comma, "" inside quotes is one quote, and a
//     quoted field may span lines. Text after the closing quote (other than spaces) is an error.
//   - Spaces and tabs around a field are trimmed (inside quotes they are kept). A quote inside
//     an unquoted field is an ordinary character (5" stays 5").
//   - Blank lines (nothing but spaces or tabs) are skipped, but still counted in row numbers:
//     "row N" is the file's line N, where the record starts.
//   - A UTF-8 byte order mark at the start is ignored.
#ifndef TASKS_CSV_DATASET_H_
#define TASKS_CSV_DATASET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace automl {

class CsvTable {
 public:
  // `source` names the data in messages (usually the file path).
  CsvTable(std::string source, std::vector<std::string> header);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& header() const { return header_; }
  int num_columns() const { return static_cast<int>(header_.size()); }
  int num_rows() const { return static_cast<int>(row_numbers_.size()); }

  // The index of the column named `name`, or -1.
  int ColumnIndex(absl::string_view name) const;

  // Data row `row` (0-based, header excluded), column `column` (0-based), trimmed and unquoted.
  const std::string& cell(int row, int column) const {
    return cells_[static_cast<size_t>(row) * header_.size() + static_cast<size_t>(column)];
  }
  // The 1-based file line on which data row `row` starts.
  int row_number(int row) const { return row_numbers_[row]; }

  // `cells` must have num_columns() values.
  void AddRow(int row_number, std::vector<std::string> cells);

  // "SOURCE: row N, column "NAME"", the prefix of every message about one cell.
  std::string CellLocation(int row, int column) const;

  // The cell as a finite number, or an error naming the cell: an empty cell, text that is not
  // a number, NaN and infinities are rejected.
  absl::StatusOr<double> Number(int row, int column) const;

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::string> cells_;  // Row-major.
  std::vector<int> row_numbers_;
};

// Parses CSV text (see the dialect above). Errors are one line starting with `source`.
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text, const std::string& source);

// Reads and parses the file at `path`; the table's source is `path`.
absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path);

// Parses a whole cell as a number the way CsvTable::Number does (leading "+" allowed, no
// trailing text); false if it is not one. NaN and infinities parse (callers decide).
bool ParseCsvNumber(absl::string_view text, double* value);

}  // namespace automl

#endif  // TASKS_CSV_DATASET_H_
