// Parsing protobuf text format (experiment specs, task collections, programs) with the
// parser's first complaint as a one-line error. The parser often reports several complaints
// for one mistake, and without a collector it would log them all to stderr.
#ifndef INSTRUCTIONS_TEXT_PROTO_H_
#define INSTRUCTIONS_TEXT_PROTO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace automl {

// The parser's first complaint, at a 1-based line and column (0 and 0 if it gave none).
struct TextProtoError {
  int line = 0;
  int column = 0;
  std::string message;
};

// Parses `text` into `message`; unknown fields and enum values are errors. On failure returns
// InvalidArgument "<source>: line L:C: <complaint>" (or "<source>: cannot parse" without a
// complaint), and fills `error` if it is not null, for callers that lay the position out
// another way.
absl::Status ParseTextProto(absl::string_view text, absl::string_view source,
                            google::protobuf::Message* message, TextProtoError* error = nullptr);

}  // namespace automl

#endif  // INSTRUCTIONS_TEXT_PROTO_H_
