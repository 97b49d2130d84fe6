#include "instructions/text_proto.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "instructions/text_input.h"

namespace automl {
namespace {

class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit FirstErrorCollector(TextProtoError* error) : error_(error) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (has_error_) return;
    has_error_ = true;
    error_->line = line + 1;
    error_->column = column + 1;
    // The complaint may quote a token of the input, which can be any length and any bytes.
    error_->message = QuoteForError(message, 2 * kMaxQuotedChars);
  }
  bool has_error() const { return has_error_; }

 private:
  TextProtoError* error_;
  bool has_error_ = false;
};

}  // namespace

absl::Status ParseTextProto(absl::string_view text, absl::string_view source,
                            google::protobuf::Message* message, TextProtoError* error) {
  TextProtoError first;
  FirstErrorCollector errors(&first);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(false);
  // Editors on Windows start files with a byte order mark; the tokenizer would reject it.
  text = StripUtf8Bom(text);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (parser.Parse(&input, message)) return absl::OkStatus();
  if (error != nullptr) *error = first;
  if (!errors.has_error())
    return absl::InvalidArgumentError(absl::StrCat(source, ": cannot parse"));
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": line ", first.line, ":", first.column, ": ", first.message));
}

}  // namespace automl
