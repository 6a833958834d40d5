namespace TorchBinding.Native;

// Codes of the op families in src/native/src/ops.cpp; the order must match the C++ enums.

internal enum UnaryOp
{
    Neg, Exp, Log, Tanh, Sigmoid, Relu, Abs, Sqrt, Square, Sign, Floor, Ceil, Round,
    LogicalNot, Sin, Cos, Reciprocal, Log1p, Expm1, IsNan, IsInf, Rsqrt, IsFinite,
}

internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, Maximum, Minimum, LogicalAnd,
    LogicalOr, Remainder, Atan2, ReverseSub, ReverseDiv, ReversePow, FloorDivide, LogicalXor,
}

internal enum ReduceOp { Sum, Mean, Amax, Amin, Prod, Std, Var, Any, All, Norm }
