// Thread scaling of the island search, measured in one process so that the machine's drifts
// cancel: the same search (spec, seed, island count; its results do not depend on the thread
// count) is built once for 1 thread and once for 2, and the two advance through the same
// trajectory in alternating chunks of individuals. Each chunk is timed on both, so the ratio of
// a chunk compares identical work done within about a second of each other; on a VM whose
// single-core speed swings by 1.5x over seconds (as this one's does), runs of whole searches
// one after the other compare different machine states instead.
// As a control, a third configuration runs two independent 1-thread copies of the search at
// once on two threads: their summed rate over the 1-thread rate is what two cores deliver at
// that moment without any coordination between the threads (the scaling ratio's ceiling).
// Prints one line per chunk and a summary. Exits 0 when the median chunk ratio reaches
// --min_ratio; 2 when it does not but the machine is to blame (the search reached at least
// --min_efficiency of the ceiling); 1 otherwise, or when the configurations' results differ.
// experiments/bench_scaling.sh runs it.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "evolution/experiment.h"
#include "evolution/experiment_spec.h"
#include "evolution/island_model.h"
#include "evolution/island_settings.h"
#include "instructions/status_macros.h"

ABSL_FLAG(std::string, spec, "experiments/specs/linear_demo.textproto",
          "Experiment spec (text format); its max_individuals, progress interval and "
          "max_seconds are replaced (see --individuals, --chunk_individuals).");
ABSL_FLAG(int32_t, islands, 4, "Island count.");
ABSL_FLAG(int64_t, individuals, 1000000, "Individuals of one search, over all islands.");
ABSL_FLAG(int64_t, chunk_individuals, 0,
          "Individuals per timed chunk; 0: the migration interval over all islands (so chunks "
          "add no round boundaries), else 200000.");
ABSL_FLAG(int32_t, repeats, 3, "Searches from scratch; chunk ratios are pooled over them.");
ABSL_FLAG(uint64_t, random_seed, 1, "Seed of the search.");
ABSL_FLAG(double, min_ratio, 1.8, "Fail below this median chunk ratio (2 threads / 1 thread).");
ABSL_FLAG(bool, ceiling, true, "Also time two independent 1-thread searches at once.");
ABSL_FLAG(double, min_efficiency, 0.95,
          "Below --min_ratio, the run counts as limited by the machine (exit 2) instead of "
          "failed (exit 1) when the median chunk's ratio over its ceiling is at least this.");

namespace automl {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

// CPU seconds every process spent busy (user, nice, system, irq, softirq, steal), to tell how
// much of the machine other processes took during a chunk.
double MachineBusySeconds() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) / sysconf(_SC_CLK_TCK);
}

double ProcessCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// One configuration's search, advanced a chunk at a time: the progress callback at each
// chunk boundary raises the stop flag, and Run continues from there when called again.
class ChunkedSearch {
 public:
  static absl::StatusOr<std::unique_ptr<ChunkedSearch>> Create(IslandSearchConfig config) {
    auto chunked = std::unique_ptr<ChunkedSearch>(new ChunkedSearch());
    config.stop_requested = &chunked->stop_;
    ASSIGN_OR_RETURN(chunked->search_, IslandSearch::Create(config, absl::Now()));
    return chunked;
  }

  // Runs to the next chunk boundary (or the end); returns the individuals it added.
  absl::StatusOr<int64_t> RunChunk() {
    const int64_t before = search_->totals().individuals;
    stop_.store(false);
    RETURN_IF_ERROR(search_->Run([this](const IslandTotals&) { stop_.store(true); }));
    return search_->totals().individuals - before;
  }

  bool finished() const { return !search_->interrupted(); }
  IslandSearch& search() { return *search_; }

 private:
  ChunkedSearch() = default;
  std::atomic<bool> stop_{false};
  std::unique_ptr<IslandSearch> search_;
};

struct Timed {
  int64_t individuals = 0;
  double seconds = 0.0;
  double others_cores = 0.0;  // Cores other processes used meanwhile.
  double cpu_seconds = 0.0;   // This process's.
  double rate() const { return seconds > 0 ? individuals / seconds : 0.0; }
};

// Times `body`, which returns the individuals it evaluated.
template <typename Body>
absl::StatusOr<Timed> Time(Body&& body) {
  const double busy0 = MachineBusySeconds(), own0 = ProcessCpuSeconds();
  const absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(const int64_t individuals, body());
  Timed timed;
  timed.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  timed.individuals = individuals;
  timed.cpu_seconds = ProcessCpuSeconds() - own0;
  const double others = (MachineBusySeconds() - busy0) - timed.cpu_seconds;
  // /proc/stat counts in ticks (10 ms): the share is coarse for short chunks.
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  timed.others_cores = std::clamp(others / std::max(timed.seconds, 1e-9), 0.0, cores);
  return timed;
}

// Both searches must have found the same: the island search is deterministic whatever the
// thread count.
absl::Status CheckSame(IslandSearch& a, IslandSearch& b, const char* what) {
  const IslandTotals& x = a.totals();
  const IslandTotals& y = b.totals();
  if (x.individuals != y.individuals || x.best_fitness != y.best_fitness ||
      x.mean_fitness != y.mean_fitness || x.train_steps != y.train_steps ||
      x.migrations != y.migrations) {
    return absl::InternalError(absl::StrFormat(
        "%s: the searches differ at %d vs %d individuals (best fitness %.9g vs %.9g)", what,
        x.individuals, y.individuals, x.best_fitness, y.best_fitness));
  }
  return absl::OkStatus();
}

// The flags, checked, and the spec they shape.
struct Settings {
  ExperimentSpec spec;
  int num_islands = 0;
  int64_t individuals = 0;
  int64_t chunk = 0;
  int repeats = 0;
  uint64_t seed = 0;
  bool ceiling = true;
};

absl::StatusOr<Settings> ReadSettings() {
  Settings settings;
  ASSIGN_OR_RETURN(settings.spec, ReadExperimentSpecFile(absl::GetFlag(FLAGS_spec)));
  ExperimentSpec& spec = settings.spec;
  settings.num_islands = absl::GetFlag(FLAGS_islands);
  settings.individuals = absl::GetFlag(FLAGS_individuals);
  settings.repeats = absl::GetFlag(FLAGS_repeats);
  settings.seed = absl::GetFlag(FLAGS_random_seed);
  settings.ceiling = absl::GetFlag(FLAGS_ceiling);
  int64_t chunk = absl::GetFlag(FLAGS_chunk_individuals);
  if (chunk == 0) {
    chunk = spec.migration().every_individuals() > 0 && settings.num_islands > 1
                ? spec.migration().every_individuals() * settings.num_islands
                : 200000;
  }
  if (chunk <= 0 || settings.repeats < 1) {
    return absl::InvalidArgumentError("--chunk_individuals and --repeats must be >= 1");
  }
  settings.chunk = chunk;
  spec.set_max_individuals(settings.individuals);
  spec.set_progress_every_individuals(chunk);
  spec.clear_max_seconds();  // A time limit would make the configurations' work differ.
  RETURN_IF_ERROR(ValidateIslandSettings(spec, settings.num_islands, 1));
  return settings;
}

// One repeat's configurations: the search on 1 thread, on 2 threads, and (for the ceiling)
// two independent 1-thread copies run at once. Each is built on its first chunk, so that its
// first chunk includes building the islands and evaluating the initial populations, as the
// search's own rate does.
class Configurations {
 public:
  Configurations(const Settings& settings, const IslandSearchParts& parts)
      : settings_(settings), parts_(parts) {}

  absl::StatusOr<int64_t> RunOne() { return Advance(1, one_); }
  absl::StatusOr<int64_t> RunTwo() { return Advance(2, two_); }
  absl::StatusOr<int64_t> RunPair() {
    absl::StatusOr<int64_t> b;
    std::thread other([&] { b = Advance(1, pair_b_); });
    absl::StatusOr<int64_t> a = Advance(1, pair_a_);
    other.join();
    RETURN_IF_ERROR(a);
    RETURN_IF_ERROR(b);
    return *a + *b;
  }

  IslandSearch& one() { return one_->search(); }
  IslandSearch& two() { return two_->search(); }
  IslandSearch& pair_a() { return pair_a_->search(); }
  bool one_finished() const { return one_->finished(); }
  bool two_finished() const { return two_->finished(); }

 private:
  // Runs `search`'s next chunk, building it first if needed; returns the individuals
  // evaluated.
  absl::StatusOr<int64_t> Advance(int threads, std::unique_ptr<ChunkedSearch>& search) {
    int64_t initial = 0;
    if (search == nullptr) {
      ASSIGN_OR_RETURN(search, ChunkedSearch::Create(
                                   parts_.Config(settings_.spec, settings_.num_islands, threads)));
      initial = search->search().totals().individuals;
    }
    ASSIGN_OR_RETURN(const int64_t added, search->RunChunk());
    return initial + added;
  }

  const Settings& settings_;
  const IslandSearchParts& parts_;
  std::unique_ptr<ChunkedSearch> one_, two_, pair_a_, pair_b_;
};

struct ChunkTimes {
  Timed one, two, pair;  // `pair` only with --ceiling.
};

// Times chunk `k` on every configuration. The order alternates (1, 2, pair / pair, 2, 1) so
// that a steady drift favours neither.
absl::StatusOr<ChunkTimes> TimeChunk(int k, bool ceiling, Configurations& configs) {
  auto run_one = [&] { return configs.RunOne(); };
  auto run_two = [&] { return configs.RunTwo(); };
  auto run_pair = [&] { return configs.RunPair(); };
  absl::StatusOr<Timed> t1, t2, tp;
  if (k % 2 == 0) {
    t1 = Time(run_one);
    if (t1.ok()) t2 = Time(run_two);
    if (t2.ok() && ceiling) tp = Time(run_pair);
  } else {
    if (ceiling) tp = Time(run_pair);
    if (!ceiling || tp.ok()) t2 = Time(run_two);
    if (t2.ok()) t1 = Time(run_one);
  }
  RETURN_IF_ERROR(t1);
  RETURN_IF_ERROR(t2);
  if (ceiling) RETURN_IF_ERROR(tp);
  return ChunkTimes{*t1, *t2, ceiling ? *tp : Timed()};
}

// What the chunks measured, pooled over the repeats.
struct Measurements {
  std::vector<double> ratios, ceilings, efficiencies;
  Timed total_one, total_two;
};

// Adds chunk `k`'s times to `m` and prints its line.
void RecordChunk(int repeat, int k, const ChunkTimes& t, bool ceiling, Configurations& configs,
                 Measurements& m) {
  const double ratio = t.two.rate() / t.one.rate();
  m.ratios.push_back(ratio);
  m.total_one.individuals += t.one.individuals;
  m.total_one.seconds += t.one.seconds;
  m.total_two.individuals += t.two.individuals;
  m.total_two.seconds += t.two.seconds;
  std::string line = absl::StrFormat(
      "repeat=%d chunk=%d individuals=%d one_thread=%.0f/s two_threads=%.0f/s ratio=%.3f", repeat,
      k, configs.one().totals().individuals, t.one.rate(), t.two.rate(), ratio);
  if (ceiling) {
    // The pair did the chunk twice: its rate over the 1-thread rate is at most 2.
    const double pair_ceiling = t.pair.rate() / t.one.rate();
    m.ceilings.push_back(pair_ceiling);
    m.efficiencies.push_back(ratio / pair_ceiling);
    absl::StrAppendFormat(&line, " two_independent=%.0f/s ceiling=%.3f", t.pair.rate(),
                          pair_ceiling);
  }
  // CPU time over twice the wall time: below 1, the 2-thread search left a core idle
  // (waiting at a round's end); near 1 with a low ratio, the cores themselves ran slower.
  absl::StrAppendFormat(&line, " two_threads_busy=%.3f other_processes_cores=%.2f",
                        t.two.cpu_seconds / (2.0 * t.two.seconds),
                        std::max({t.one.others_cores, t.two.others_cores}));
  std::cout << line << std::endl;
}

// One search from scratch on every configuration, chunk by chunk, checking they agree.
absl::Status RunRepeat(int repeat, const Settings& settings, const IslandSearchParts& parts,
                       Measurements& m) {
  Configurations configs(settings, parts);
  for (int k = 0;; ++k) {
    ASSIGN_OR_RETURN(const ChunkTimes times, TimeChunk(k, settings.ceiling, configs));
    RETURN_IF_ERROR(CheckSame(configs.one(), configs.two(), "1 vs 2 threads"));
    RecordChunk(repeat, k, times, settings.ceiling, configs, m);
    if (configs.one_finished()) {
      if (!configs.two_finished()) return absl::InternalError("the 2-thread search went on");
      break;
    }
  }
  if (settings.ceiling) RETURN_IF_ERROR(CheckSame(configs.one(), configs.pair_a(), "pair"));
  ASSIGN_OR_RETURN(const Individual best_one, configs.one().Best());
  ASSIGN_OR_RETURN(const Individual best_two, configs.two().Best());
  if (!(*best_one.program == *best_two.program) ||
      best_one.fitness.quality != best_two.fitness.quality) {
    return absl::InternalError("1 and 2 threads found different best programs");
  }
  return absl::OkStatus();
}

// Prints the totals, the summary and the verdict; returns the exit code.
int Verdict(const Measurements& m, bool ceiling) {
  const double ratio = Median(m.ratios);
  std::cout << absl::StrFormat("total: one_thread=%.0f/s two_threads=%.0f/s (ratio of totals %.3f)",
                               m.total_one.rate(), m.total_two.rate(),
                               m.total_two.rate() / m.total_one.rate())
            << std::endl;
  std::string summary = absl::StrFormat("median chunk ratio=%.3f over %d chunks", ratio,
                                        static_cast<int>(m.ratios.size()));
  const double efficiency = Median(m.efficiencies);
  if (ceiling) {
    absl::StrAppendFormat(&summary,
                          "; machine ceiling (median)=%.3f; efficiency (median chunk ratio / "
                          "ceiling)=%.3f",
                          Median(m.ceilings), efficiency);
  }
  std::cout << summary << std::endl;
  std::cout << "results: identical for 1 and 2 threads" << std::endl;
  const double min_ratio = absl::GetFlag(FLAGS_min_ratio);
  if (ratio >= min_ratio) {
    std::cout << absl::StrFormat("OK: ratio %.2f >= %.2f", ratio, min_ratio) << std::endl;
    return 0;
  }
  // Two independent searches share nothing, so their rate is what the two cores delivered;
  // a search that matches it lost nothing to its own coordination.
  if (ceiling && efficiency >= absl::GetFlag(FLAGS_min_efficiency)) {
    std::cout << absl::StrFormat(
                     "MACHINE-LIMITED: ratio %.2f < %.2f, but the search got %.2f of what two "
                     "independent searches got at the same moments: the cores ran slower when "
                     "both were busy. Rerun when the host is quiet.",
                     ratio, min_ratio, efficiency)
              << std::endl;
    return 2;
  }
  std::cout << absl::StrFormat("FAIL: ratio %.2f < %.2f", ratio, min_ratio) << std::endl;
  return 1;
}

int Main() {
  absl::StatusOr<Settings> settings = ReadSettings();
  if (!settings.ok()) return Fail(settings.status());
  absl::StatusOr<std::unique_ptr<IslandSearchParts>> parts =
      MakeIslandSearchParts(settings->spec, settings->seed, 0);
  if (!parts.ok()) return Fail(parts.status());
  std::cout << absl::StrFormat("cores=%d islands=%d individuals=%d chunk=%d repeats=%d seed=%d",
                               std::thread::hardware_concurrency(), settings->num_islands,
                               settings->individuals, settings->chunk, settings->repeats,
                               settings->seed)
            << std::endl;
  Measurements measurements;
  for (int repeat = 1; repeat <= settings->repeats; ++repeat) {
    if (absl::Status s = RunRepeat(repeat, *settings, **parts, measurements); !s.ok()) {
      return Fail(s);
    }
  }
  return Verdict(measurements, settings->ceiling);
}

}  // namespace
}  // namespace automl

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return automl::Main();
}
