// The hurdle of a two-stage evaluation: a candidate whose first-stage fitness is below a
// percentile of the recent first-stage fitnesses does not go on to the full evaluation.
#ifndef EVOLUTION_HURDLE_H_
#define EVOLUTION_HURDLE_H_

#include <vector>

namespace automl {

class RollingHurdle {
 public:
  // `percentile` in [0, 100]; the last `window_size` first-stage fitnesses count; no candidate
  // is cut before `min_samples` have been seen.
  RollingHurdle(double percentile, int window_size, int min_samples);

  // Records a first-stage fitness and returns true if the candidate passes (its fitness is at
  // or above the hurdle computed from the candidates before it).
  bool RecordAndCheck(double first_stage_fitness);

  // Everything a resumed search needs to cut exactly the same candidates.
  struct State {
    std::vector<double> window;  // Ring buffer contents as stored.
    int next = 0;
    long long seen = 0;
    double hurdle = 0.0;
  };
  State state() const { return State{window_, next_, seen_, hurdle_}; }
  void set_state(const State& state) {
    window_ = state.window;
    next_ = state.next;
    seen_ = state.seen;
    hurdle_ = state.hurdle;
  }

  // The current hurdle value (the percentile of the window); 0 before min_samples.
  double hurdle() const { return hurdle_; }

 private:
  void Recompute();

  double percentile_;
  int window_size_;
  int min_samples_;
  std::vector<double> window_;  // Ring buffer.
  int next_ = 0;
  long long seen_ = 0;
  double hurdle_ = 0.0;
  std::vector<double> scratch_;
};

}  // namespace automl

#endif  // EVOLUTION_HURDLE_H_
