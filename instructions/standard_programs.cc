#include "instructions/standard_programs.h"

#include <vector>

namespace automl {
namespace {

Instruction Make(Op op, int out, int in1 = 0, int in2 = 0) {
  Instruction ins;
  ins.op = op;
  ins.out = static_cast<uint8_t>(out);
  ins.in1 = static_cast<uint8_t>(in1);
  ins.in2 = static_cast<uint8_t>(in2);
  return ins;
}

Instruction ScalarConst(int out, double value) {
  Instruction ins = Make(Op::SCALAR_CONST_SET, out);
  ins.data0 = value;
  return ins;
}

Instruction Gaussian(Op op, int out, double mean, double stddev) {
  Instruction ins = Make(op, out);
  ins.data0 = mean;
  ins.data1 = stddev;
  return ins;
}

void PadFunction(std::vector<Instruction>& instructions, int size) {
  if (static_cast<int>(instructions.size()) < size) instructions.resize(size, Instruction());
}

}  // namespace

Program LinearRegressionSgdProgram(double learning_rate) {
  Program program;
  program.setup = {ScalarConst(3, learning_rate)};
  program.predict = {Make(Op::VECTOR_INNER_PRODUCT, 1, 0, 1)};
  program.learn = {
      Make(Op::SCALAR_DIFF, 2, 0, 1),
      Make(Op::SCALAR_PRODUCT, 2, 3, 2),
      Make(Op::SCALAR_VECTOR_PRODUCT, 2, 2, 0),
      Make(Op::VECTOR_SUM, 1, 1, 2),
  };
  return program;
}

MachineShape MinimumShapeForLinearRegression(int feature_size) {
  MachineShape shape;
  shape.num_scalars = 4;
  shape.num_vectors = 3;
  shape.num_matrices = 0;
  shape.feature_size = feature_size;
  return shape;
}

Program LogisticRegressionSgdProgram(double learning_rate) {
  return LinearRegressionSgdProgram(learning_rate);
}

MachineShape MinimumShapeForLogisticRegression(int feature_size) {
  return MinimumShapeForLinearRegression(feature_size);
}

Program TwoLayerNetworkProgram(int feature_size, double learning_rate, double init_scale) {
  // The layer width is the feature size, which the registers fix; nothing else
  // depends on it.
  (void)feature_size;
  Program program;
  program.setup = {
      ScalarConst(3, learning_rate),
      Gaussian(Op::MATRIX_GAUSSIAN_SET, 0, 0.0, init_scale),
      Gaussian(Op::VECTOR_GAUSSIAN_SET, 1, 0.0, init_scale),
  };
  program.predict = {
      Make(Op::MATRIX_VECTOR_PRODUCT, 2, 0, 0),
      Make(Op::VECTOR_HEAVISIDE, 3, 2),
      Make(Op::VECTOR_PRODUCT, 4, 2, 3),
      Make(Op::VECTOR_INNER_PRODUCT, 1, 4, 1),
  };
  program.learn = {
      Make(Op::SCALAR_DIFF, 2, 0, 1),
      Make(Op::SCALAR_PRODUCT, 2, 3, 2),
      // Backpropagate through the output weights before they change.
      Make(Op::SCALAR_VECTOR_PRODUCT, 5, 2, 1),
      Make(Op::VECTOR_PRODUCT, 5, 5, 3),
      Make(Op::VECTOR_OUTER_PRODUCT, 1, 5, 0),
      Make(Op::MATRIX_SUM, 0, 0, 1),
      Make(Op::SCALAR_VECTOR_PRODUCT, 5, 2, 4),
      Make(Op::VECTOR_SUM, 1, 1, 5),
  };
  return program;
}

MachineShape MinimumShapeForTwoLayerNetwork(int feature_size) {
  MachineShape shape;
  shape.num_scalars = 4;
  shape.num_vectors = 6;
  shape.num_matrices = 2;
  shape.feature_size = feature_size;
  return shape;
}

Program NoOpProgram(int setup_size, int predict_size, int learn_size) {
  return PadProgram(Program(), setup_size, predict_size, learn_size);
}

Program PadProgram(Program program, int setup_size, int predict_size, int learn_size) {
  PadFunction(program.setup, setup_size);
  PadFunction(program.predict, predict_size);
  PadFunction(program.learn, learn_size);
  return program;
}

}  // namespace automl
