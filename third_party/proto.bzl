"""cc_proto: C++ protobuf code from the system protoc (/usr/bin/protoc, protobuf 3.21).

Why not native proto_library/cc_proto_library: they need a @com_google_protobuf repository,
which Bazel would download. A genrule around the system protoc is simpler to read.

Usage (BUILD):
    load("//third_party:proto.bzl", "cc_proto")
    cc_proto(name = "task_spec_proto", srcs = ["task_spec.proto"])
    cc_proto(
        name = "experiment_spec_proto",
        srcs = ["experiment_spec.proto"],          # import "tasks/task_spec.proto";
        deps = ["//tasks:task_spec_proto"],
    )
C++: #include "tasks/task_spec.pb.h". Imports and includes are relative to the workspace root.
"""

def _protos_label(dep):
    # "//a/b" -> "//a/b:b"; then the hidden filegroup that carries the dep's .proto files.
    if ":" not in dep:
        dep = dep + ":" + dep.rsplit("/", 1)[-1]
    return dep + "_protos"

def cc_proto(name, srcs, deps = [], visibility = None, testonly = False):
    """cc_library `name` with the generated .pb.h/.pb.cc of `srcs` (deps: other cc_proto)."""

    # protoc needs the imported .proto files too (the sandbox holds only declared inputs),
    # so each cc_proto exports its own and its deps' .proto files, transitively.
    native.filegroup(
        name = name + "_protos",
        srcs = srcs + [_protos_label(d) for d in deps],
        visibility = ["//visibility:public"],  # importers in other packages need it
        testonly = testonly,
    )

    hdrs = [s[:-len(".proto")] + ".pb.h" for s in srcs]
    cc_srcs = [s[:-len(".proto")] + ".pb.cc" for s in srcs]

    # --proto_path=. is the execroot, i.e. the workspace root: protoc then names outputs
    # <package>/<file>.pb.*, which is exactly where Bazel expects this package's outs under
    # $(GENDIR). /usr/include gives the well-known types (google/protobuf/*.proto).
    native.genrule(
        name = name + "_genproto",
        srcs = srcs + [name + "_protos"],
        outs = hdrs + cc_srcs,
        cmd = ("/usr/bin/protoc --proto_path=. --proto_path=/usr/include " +
               "--cpp_out=$(GENDIR) " +
               " ".join(["$(location %s)" % s for s in srcs])),
        message = "protoc %s" % name,
        visibility = ["//visibility:private"],
        testonly = testonly,
    )

    native.cc_library(
        name = name,
        srcs = cc_srcs,
        hdrs = hdrs,
        deps = ["//third_party:protobuf"] + deps,
        visibility = visibility,
        testonly = testonly,
    )
