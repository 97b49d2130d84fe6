// A population member (Individual) as a MemberProto (island.proto): how checkpoints save
// populations and how migrants and best programs travel between ranks.
#ifndef EVOLUTION_MEMBER_PROTO_H_
#define EVOLUTION_MEMBER_PROTO_H_

#include "absl/status/statusor.h"
#include "evolution/island.pb.h"
#include "evolution/regularized_evolution.h"

namespace automl {

void ToProto(const Individual& individual, MemberProto* proto);
// Fails on a member without a program or with an invalid one.
absl::StatusOr<Individual> FromProto(const MemberProto& proto);

}  // namespace automl

#endif  // EVOLUTION_MEMBER_PROTO_H_
