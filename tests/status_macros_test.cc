#include "instructions/status_macros.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace automl {
namespace {

absl::Status FailIf(bool fail) {
  return fail ? absl::InvalidArgumentError("step failed") : absl::OkStatus();
}

absl::StatusOr<int> Twice(absl::StatusOr<int> value) {
  ASSIGN_OR_RETURN(int x, value);
  return 2 * x;
}

absl::Status TwoSteps(bool fail_first, bool fail_second, int* steps) {
  RETURN_IF_ERROR(FailIf(fail_first));
  ++*steps;
  RETURN_IF_ERROR(FailIf(fail_second));
  ++*steps;
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstError) {
  int steps = 0;
  EXPECT_TRUE(TwoSteps(false, false, &steps).ok());
  EXPECT_EQ(steps, 2);
  steps = 0;
  const absl::Status second = TwoSteps(false, true, &steps);
  EXPECT_EQ(second.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(second.message(), "step failed");
  EXPECT_EQ(steps, 1);
  steps = 0;
  EXPECT_FALSE(TwoSteps(true, false, &steps).ok());
  EXPECT_EQ(steps, 0);
}

TEST(StatusMacrosTest, ReturnIfErrorTakesAStatusOr) {
  auto check = [](absl::StatusOr<int> value) -> absl::Status {
    RETURN_IF_ERROR(value);
    return absl::OkStatus();
  };
  EXPECT_TRUE(check(3).ok());
  EXPECT_EQ(check(absl::NotFoundError("gone")).code(), absl::StatusCode::kNotFound);
}

TEST(StatusMacrosTest, AssignOrReturnAssignsOrPassesTheErrorThrough) {
  EXPECT_EQ(*Twice(21), 42);
  const absl::StatusOr<int> failed = Twice(absl::DataLossError("corrupt"));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(failed.status().message(), "corrupt");
}

TEST(StatusMacrosTest, AssignOrReturnMovesAndAssignsToExistingVariables) {
  auto take = [](absl::StatusOr<std::unique_ptr<std::string>> made) -> absl::StatusOr<size_t> {
    std::unique_ptr<std::string> owned;
    ASSIGN_OR_RETURN(owned, std::move(made));
    ASSIGN_OR_RETURN(const size_t size, absl::StatusOr<size_t>(owned->size()));
    return size;
  };
  EXPECT_EQ(*take(std::make_unique<std::string>("abc")), 3u);
  EXPECT_FALSE(take(absl::InternalError("no")).ok());
}

}  // namespace
}  // namespace automl
