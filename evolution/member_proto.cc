#include "evolution/member_proto.h"

#include <memory>
#include <utility>

#include "evolution/fitness_proto.h"
#include "instructions/program_proto.h"
#include "instructions/status_macros.h"

namespace automl {

void ToProto(const Individual& individual, MemberProto* proto) {
  *proto->mutable_program() = ToProto(*individual.program);
  ToProto(individual.fitness, proto->mutable_objectives());
}

absl::StatusOr<Individual> FromProto(const MemberProto& proto) {
  if (!proto.has_program()) return absl::DataLossError("a saved member has no program");
  ASSIGN_OR_RETURN(Program program, FromProto(proto.program()));
  Individual individual;
  individual.program = std::make_shared<const Program>(std::move(program));
  // Members saved by older builds have the quality alone.
  individual.fitness =
      proto.has_objectives() ? FromProto(proto.objectives()) : Fitness{proto.fitness()};
  return individual;
}

}  // namespace automl
