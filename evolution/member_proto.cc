#include "evolution/member_proto.h"

#include <memory>
#include <utility>

#include "instructions/program_proto.h"
#include "instructions/status_macros.h"

namespace automl {

void ToProto(const Individual& individual, MemberProto* proto) {
  *proto->mutable_program() = ToProto(*individual.program);
  proto->set_fitness(individual.fitness.quality);
}

absl::StatusOr<Individual> FromProto(const MemberProto& proto) {
  if (!proto.has_program()) return absl::DataLossError("a saved member has no program");
  ASSIGN_OR_RETURN(Program program, FromProto(proto.program()));
  Individual individual;
  individual.program = std::make_shared<const Program>(std::move(program));
  individual.fitness.quality = proto.fitness();
  return individual;
}

}  // namespace automl
