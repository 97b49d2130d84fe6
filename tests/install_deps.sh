#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs (a fresh machine has none of them; there is
# no internet, only Debian's apt registry). Shared by tests/run_all.sh and experiments/.
# Prints one line: what it installed, or that everything was present.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap bazel-platforms bazel-skylib   # Bazel 4.2.3 + the repos WORKSPACE points at
  libeigen3-dev libabsl-dev
  libprotobuf-dev protobuf-compiler
  libgtest-dev googletest libbenchmark-dev
  libopenmpi-dev openmpi-bin
  zlib1g-dev                                     # gzip-compressed datasets (tasks/gzip_reader.h)
  openssh-client                                 # mpirun refuses to start without ssh/rsh,
                                                 # even for local-only runs
  dataset-fashion-mnist                          # /usr/share/datasets/fashion-mnist/
  python3-numpy python3-matplotlib               # exported Python programs; experiments/report.py
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  # dpkg -s also succeeds for removed-but-configured packages, so check the status line.
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# apt's own chatter goes to stderr-free quiet mode; errors still show and stop the script.
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
echo "install_deps: installed ${missing[*]}"
