#include "tasks/csv_dataset.h"

#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "instructions/file_util.h"
#include "instructions/status_macros.h"
#include "instructions/text_input.h"

namespace automl {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

absl::string_view TrimBlanks(absl::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// Splits the text into records of fields, one at a time, tracking line numbers.
class CsvReader {
 public:
  // A UTF-8 byte order mark, as spreadsheet programs write, is skipped.
  CsvReader(absl::string_view text, const std::string& source)
      : text_(StripUtf8Bom(text)), source_(source) {}

  bool AtEnd() const { return pos_ >= text_.size(); }

  // Reads the next record into `fields`; `record_line` gets the line it starts on and `blank`
  // whether the record is a blank line. `header` (null while reading the header) names the
  // fields in messages.
  absl::Status ReadRecord(std::vector<std::string>& fields, int& record_line, bool& blank,
                          const std::vector<std::string>* header) {
    fields.clear();
    record_line = line_;
    blank = true;
    while (true) {
      std::string field;
      bool quoted = false;
      RETURN_IF_ERROR(ReadField(field, quoted, record_line, fields.size(), header));
      if (quoted || !field.empty()) blank = false;
      fields.push_back(std::move(field));
      if (AtEnd()) return absl::OkStatus();
      const char c = text_[pos_];
      if (c == ',') {
        blank = false;
        ++pos_;
        continue;
      }
      // ReadField stops only at a comma, a line end or the end of the text.
      ConsumeLineEnd();
      return absl::OkStatus();
    }
  }

 private:
  bool AtLineEnd() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void ConsumeLineEnd() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string FieldName(size_t index, const std::vector<std::string>* header) const {
    if (header != nullptr && index < header->size()) {
      return absl::StrCat("column \"", (*header)[index], "\"");
    }
    return absl::StrCat("field ", index + 1);
  }

  absl::Status ReadField(std::string& field, bool& quoted, int record_line, size_t index,
                         const std::vector<std::string>* header) {
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
    if (AtEnd() || text_[pos_] != '"') {
      const size_t start = pos_;
      while (!AtEnd() && text_[pos_] != ',' && !AtLineEnd()) ++pos_;
      field = std::string(TrimBlanks(text_.substr(start, pos_ - start)));
      return absl::OkStatus();
    }
    quoted = true;
    ++pos_;  // The opening quote.
    while (true) {
      if (AtEnd()) {
        return absl::InvalidArgumentError(absl::StrCat(source_, ": row ", record_line, ", ",
                                                       FieldName(index, header),
                                                       ": a quoted field is never closed"));
      }
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;  // The closing quote.
        break;
      }
      if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))) {
        ++line_;
      }
      field.push_back(c);
      ++pos_;
    }
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
    if (!AtEnd() && text_[pos_] != ',' && !AtLineEnd()) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_, ": row ", record_line, ", ", FieldName(index, header),
          ": unexpected text after a closing quote (a quote inside a quoted field is written "
          "\"\")"));
    }
    return absl::OkStatus();
  }

  absl::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

CsvTable::CsvTable(std::string source, std::vector<std::string> header)
    : source_(std::move(source)), header_(std::move(header)) {}

int CsvTable::ColumnIndex(absl::string_view name) const {
  for (size_t k = 0; k < header_.size(); ++k) {
    if (header_[k] == name) return static_cast<int>(k);
  }
  return -1;
}

void CsvTable::AddRow(int row_number, std::vector<std::string> cells) {
  row_numbers_.push_back(row_number);
  for (std::string& cell : cells) cells_.push_back(std::move(cell));
}

std::string CsvTable::CellLocation(int row, int column) const {
  return absl::StrCat(source_, ": row ", row_number(row), ", column \"", header_[column], "\"");
}

bool ParseCsvNumber(absl::string_view text, double* value) {
  // SimpleAtod also skips surrounding whitespace, which CSV cells no longer have, and reads
  // "nan" and "inf", which Number() rejects with a message of its own.
  return absl::SimpleAtod(text, value);
}

absl::StatusOr<double> CsvTable::Number(int row, int column) const {
  const std::string& text = cell(row, column);
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(CellLocation(row, column), ": empty cell where a number is needed"));
  }
  double value = 0.0;
  if (!ParseCsvNumber(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(CellLocation(row, column), ": \"", QuoteForError(text), "\" is not a number"));
  }
  if (std::isnan(value)) {
    return absl::InvalidArgumentError(absl::StrCat(CellLocation(row, column), ": \"",
                                                   QuoteForError(text), "\" (NaN) is not allowed"));
  }
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        CellLocation(row, column), ": \"", QuoteForError(text), "\" is not a finite number"));
  }
  return value;
}

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text, const std::string& source) {
  CsvReader reader(text, source);
  std::vector<std::string> fields;
  int line = 0;
  bool blank = true;
  while (blank) {
    if (reader.AtEnd()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": the file has no header row (it is empty)"));
    }
    RETURN_IF_ERROR(reader.ReadRecord(fields, line, blank, nullptr));
  }
  const int header_line = line;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ": row ", header_line, ", column ",
                                                     k + 1, " of the header has no name"));
    }
    for (size_t j = 0; j < k; ++j) {
      if (fields[j] == fields[k]) {
        return absl::InvalidArgumentError(
            absl::StrCat(source, ": row ", header_line, ": the header names columns ", j + 1,
                         " and ", k + 1, " both \"", QuoteForError(fields[k]), "\""));
      }
    }
  }
  CsvTable table(source, fields);
  while (!reader.AtEnd()) {
    RETURN_IF_ERROR(reader.ReadRecord(fields, line, blank, &table.header()));
    if (blank) continue;
    if (fields.size() != table.header().size()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ": row ", line, " has ", fields.size(),
                                                     " fields but the header (row ", header_line,
                                                     ") has ", table.header().size(), " columns"));
    }
    table.AddRow(line, std::move(fields));
    fields.clear();
  }
  return table;
}

absl::StatusOr<CsvTable> ReadCsvFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path, "CSV file", kMaxDataFileBytes));
  return ParseCsv(text, path);
}

}  // namespace automl
