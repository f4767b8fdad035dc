/**
 * losslab: machine-learning loss functions with derivatives, empirical risk minimisation
 * and Plotly charts. This file only re-exports; see ../README.md for a tour.
 */
export { LossInputError, UnsupportedProblemError } from './errors';
export type { LossInputErrorDetails } from './errors';
export type { Matrix, MatrixLike } from './matrix';
export type {
  ConstantMinimisers,
  LinearProgramForm,
  Loss,
  LossAxis,
  LossCapabilities,
  LossKernels,
  LossPiece,
  LossProperties,
  PredictionDomain,
  TargetDomain,
  Task,
} from './losses/types';
export type { Vec } from './vec';
export { defineLoss } from './losses/define';
export type { LossSpec, RawFn } from './losses/define';
export { losses } from './losses/registry';
export type { LossName } from './losses/registry';
export { l1, l2, huber, logCosh, quantile, epsilonInsensitive, pseudoHuber } from './losses/regression';
export { zeroOne, square, hinge, squaredHinge, logistic, exponential, modifiedHuber } from './losses/margin';
export { crossEntropy, crossEntropyWithLogits } from './losses/probability';
export {
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  softmaxCrossEntropyValues,
} from './losses/softmax';
export type { SoftmaxRiskOptions, SoftmaxTargets } from './losses/softmax';
export { sigmoid, softplus, logcosh } from './losses/stable';
export { risk, values, derivatives, secondDerivatives } from './risk';
export type { Reduction, RiskOptions } from './risk';
export { fitLinear } from './fit/fitLinear';
export type { FitOptions, FitStatus, IterationState, LinearFit, SolverName } from './fit/types';
export type { Figure, Trace, Layout, Config } from './plot/figure';
export { show, init, figure, DisplayFigure } from './display/show';
export { displayCard, cardBundle, showCard } from './display/values';
export type { Card, CardBundle, CardTable } from './display/cards';
export { mimeBundle, describeFigure } from './display/bundle';
export type { MimeBundle, ShowOptions } from './display/bundle';
export { toHTML, saveHTML } from './display/html';
export { toPNG, toSVG } from './display/png';
export { progress } from './display/progress';
export type { Progress } from './display/progress';
export type { ImageOptions, PNGBytes } from './display/png';
export { lossCurves } from './plot/lossCurves';
export type { LossCurvesOptions } from './plot/lossCurves';
export { riskSurface } from './plot/riskSurface';
export type { RiskSurfaceOptions } from './plot/riskSurface';
export { fitLines } from './plot/fitLines';
export type { FitLinesOptions, LineFit, ScatterData } from './plot/fitLines';
export { decisionBoundaries } from './plot/decisionBoundaries';
export type { ClassificationData2D, DecisionBoundariesOptions, LinearClassifier } from './plot/decisionBoundaries';
export { convergence } from './plot/convergence';
export type { ConvergenceOptions, ConvergenceSeries } from './plot/convergence';
export { sweep } from './plot/sweep';
export type { SweepOptions, SweepSeries } from './plot/sweep';
export { riskConvergence } from './plot/riskConvergence';
export type { RiskConvergenceOptions, RiskConvergenceSeries } from './plot/riskConvergence';
export { sliderFigure, MAX_SLIDER_STEPS } from './plot/slider';
export type { SliderOptions, SliderStep } from './plot/slider';
export { calibrationCurve } from './plot/calibrationCurve';
export type {
  CalibrationBinning,
  CalibrationOptions,
  CalibrationRuns,
  CalibrationSeries,
} from './plot/calibrationCurve';
export { lossColor, lossPalette, seriesColor } from './plot/palette';
export { plotText } from './plot/text';
export { createRng } from './random/rng';
export type { Rng } from './random/rng';
export { makeRegression, makeClassification } from './data/generators';
export type { ClassificationOptions, Dataset, NoiseKind, RegressionOptions } from './data/generators';
export { trainTestSplit } from './data/split';
export type { Split, SplitOptions } from './data/split';
export { optimalConstant } from './fit/optimalConstant';
export type { OptimalConstant } from './fit/optimalConstant';
export { fitThreshold } from './fit/threshold';
export type { ThresholdClassifier } from './fit/threshold';
export { empiricalRisk } from './fit/empiricalRisk';
export type { Scorer } from './fit/empiricalRisk';
export { checkOptimality } from './fit/checkOptimality';
export type { CertificateOptions, FittedParameters, OptimalityReport } from './fit/checkOptimality';
export { fitPath } from './fit/path';
export type { LinearPath, PathOptions } from './fit/path';
export {
  fitSoftmaxRegression,
  type SoftmaxIteration,
  type SoftmaxRegressionFit,
  type SoftmaxRegressionOptions,
} from './fit/softmaxRegression';
export { showMarkdown, showMath, markdownTable } from './display/markdown';
export type { TableCell } from './display/markdown';
