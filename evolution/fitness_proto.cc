#include "evolution/fitness_proto.h"

#include <cmath>

namespace automl {
namespace {

// Written unless +0.0 (what a missing field reads as); -0.0 keeps its sign.
bool Written(double value) { return value != 0.0 || std::signbit(value); }

}  // namespace

void ToProto(const Fitness& fitness, FitnessProto* proto) {
  proto->Clear();
  if (Written(fitness.quality)) proto->set_quality(fitness.quality);
  if (Written(fitness.auc)) proto->set_auc(fitness.auc);
  if (Written(fitness.dppl)) proto->set_dppl(fitness.dppl);
  if (Written(fitness.equalized_odds_difference)) {
    proto->set_equalized_odds_difference(fitness.equalized_odds_difference);
  }
  if (Written(fitness.disparate_impact)) proto->set_disparate_impact(fitness.disparate_impact);
  if (Written(fitness.inference_cost)) proto->set_inference_cost(fitness.inference_cost);
  if (Written(fitness.training_cost)) proto->set_training_cost(fitness.training_cost);
  if (Written(fitness.size)) proto->set_size(fitness.size);
}

Fitness FromProto(const FitnessProto& proto) {
  Fitness fitness;
  fitness.quality = proto.quality();
  fitness.auc = proto.auc();
  fitness.dppl = proto.dppl();
  fitness.equalized_odds_difference = proto.equalized_odds_difference();
  fitness.disparate_impact = proto.disparate_impact();
  fitness.inference_cost = proto.inference_cost();
  fitness.training_cost = proto.training_cost();
  fitness.size = proto.size();
  return fitness;
}

}  // namespace automl
