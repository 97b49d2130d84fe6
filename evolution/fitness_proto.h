// The one conversion between Fitness and FitnessProto (fitness.proto), for everything that
// saves or sends a fitness.
#ifndef EVOLUTION_FITNESS_PROTO_H_
#define EVOLUTION_FITNESS_PROTO_H_

#include "evolution/fitness.pb.h"
#include "executor/fitness.h"

namespace automl {

void ToProto(const Fitness& fitness, FitnessProto* proto);
Fitness FromProto(const FitnessProto& proto);

}  // namespace automl

#endif  // EVOLUTION_FITNESS_PROTO_H_
