/**
 * `losslab/course`: what the course notebooks use besides the package itself — checks,
 * formatting, statistics with intervals, symbolic derivation of a loss, the experiments of the
 * chapters, and the rules that turn their measurements into verdicts on the lecture note.
 * Imported as `import { check, decideClaim } from 'losslab/course'`.
 */
// The package's values (figures, losses, fits) show themselves in a notebook once the display
// code has registered its renderers; a notebook that imports only the course needs it too.
import '../display/values';
export { check, CheckFailed } from './check';
export { fmt, sig, sci, fmtInterval } from './format';
export {
  mean,
  variance,
  sd,
  quantile,
  median,
  normalCdf,
  normalPdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  meanInterval,
  bootstrapInterval,
  proportionInterval,
  slopeInterval,
  ratioInterval,
  exactly,
} from './stats';
export type { Interval } from './stats';
export { time } from './timing';
export type { Timing } from './timing';
export { derive } from './derive';
export type { Derivation, DerivedPiece } from './derive';
export {
  decide,
  decisionCard,
  measured,
  judgeCondition,
  combineConditions,
  verdictOf,
  describeCondition,
  describeFinding,
  flips,
} from './verdict';
export type {
  ClaimKind,
  ClaimSpec,
  Condition,
  Decision,
  Evidence,
  Finding,
  Flip,
  Judgement,
  Measurement,
  Measurements,
  Reading,
  ReadingOutcome,
  Topic,
  Truth,
  Verdict,
} from './verdict';
export { runExperiment, measurementsOf } from './experiment';
export type { Experiment, ExperimentResult, OnProgress } from './experiment';
export { claims, experiments, claim, experiment, decideClaim, decideAll } from './registry';
export {
  table,
  showDecision,
  decisionMarkdown,
  verdictTableMarkdown,
  flipTableMarkdown,
  asMeantTableMarkdown,
  tally,
  evidenceLink,
  headingAnchor,
  showTimed,
  TIMED_METADATA,
} from './show';
export {
  ermIdentities,
  ermTraining,
  ermLawOfLargeNumbers,
  ermThresholdOptimism,
  ermOverfitting,
  lawOfLargeNumbersRules,
  optimismRules,
  overfittingRules,
  judgeRules,
  gridMinimisers,
  hingeRiskOfShift,
  thresholdRisk,
  scanThresholds,
  pathRecorder,
  lineFitContraction,
  stepSizeSlider,
} from './chapters/erm';
export type {
  DegreeSummary,
  ErmIdentities,
  ErmLawOfLargeNumbers,
  ErmOverfitting,
  ErmThresholdOptimism,
  ErmTraining,
  GridMinimum,
  SampleSizeSummary,
  StepSizeSlider,
} from './chapters/erm';
export {
  derivationsCrossEntropy,
  derivativeChecks,
  convexityChecks,
  minimiserChecks,
  conditionalRiskCurves,
  binaryEntropy,
  binaryKl,
  ETAS,
} from './chapters/derivations';
export type { ConvexityCheck, DerivationsCrossEntropy, DerivativeCheck, MinimiserCheck } from './chapters/derivations';
export {
  regressionDefinitions,
  regressionUniqueness,
  regressionStability,
  regressionCost,
  regressionDimensions,
  largestJump,
  lassoPenalty,
  countedWork,
  lassoViolation,
  costFits,
  costData,
  dimensionFits,
  dimensionData,
  stabilityData,
} from './chapters/regression';
export type {
  CostKey,
  CostRow,
  DimensionFit,
  DimensionRegime,
  Jump,
  RegressionCost,
  RegressionDefinitions,
  RegressionDimensions,
  RegressionStability,
  RegressionUniqueness,
  StabilityCase,
  UniquenessFamily,
} from './chapters/regression';
export { parameterError, interquartileRange, madScale, fitScaledHuber } from './robust';
export type { LineParameters, ScaledHuberFit, TrueParameters } from './robust';
export {
  robustnessContamination,
  outlierDistance,
  robustnessBreakdown,
  robustnessAdversary,
  robustnessLeverage,
  robustnessEfficiency,
  robustnessLabelNoise,
  robustnessLosses,
  labelNoiseLosses,
  noiseLaws,
  contaminationSlider,
} from './chapters/robustness';
export type {
  Adversary,
  Breakdown,
  ContaminationSweep,
  DistanceScenario,
  Efficiency,
  LabelNoise,
  LeverageCount,
  NoiseLaw,
  OutlierDistance,
} from './chapters/robustness';
export {
  quantileCoverage,
  huberTradeOff,
  huberUnits,
  heteroscedasticLine,
  trueQuantileLine,
  exponentialPinballRisk,
  huberEfficiencyAtNormal,
  huberShiftUnderContamination,
  medianShiftUnderContamination,
  huberDeltas,
  huberDeltaSlider,
} from './chapters/quantiles';
export type { HuberTradeOff, HuberUnits, QuantileCoverage } from './chapters/quantiles';
export {
  marginFormulas,
  hingeExperiment,
  ratesExperiment,
  marginFits,
  tooCorrect,
  tooCorrectFigure,
  ratesConvergenceFigure,
  excessRiskFigure,
  rateRows,
} from './chapters/classification';
export type {
  HingeResult,
  MarginFitsResult,
  MarginFormulasResult,
  RateCell,
  RatesResult,
  TooCorrectResult,
} from './chapters/classification';
export {
  calibrationMinimisers,
  calibrationPsi,
  calibrationComparison,
  calibrationForms,
  perceptronLoss,
  lateHingeLoss,
  conditionalRisk,
  minimiserFigure,
  psiFigure,
  comparisonFigure,
  conditionalRiskFigure,
} from './chapters/calibrationTheory';
export type {
  CalibrationForms,
  ComparisonPoint,
  ComparisonResult,
  MinimiserRow,
  MinimisersResult,
  PsiResult,
} from './chapters/calibrationTheory';
export {
  networksSoftmax,
  networksConvexity,
  networksSgd,
  threeClasses,
  threeClassBayesAccuracy,
  networkData,
  networkRisk,
  networkExampleGradient,
  polishNetworkMinimum,
  logLogSlope,
  softmaxFigure,
  classRegionsFigure,
  networkSurfaceFigure,
  networkSegmentFigure,
  sgdGapFigure,
  NETWORK_TRUTH,
} from './chapters/networks';
export type { NetworkConvexity, NetworkData, SgdResult, SgdRuns, SoftmaxChecks } from './chapters/networks';
export {
  probabilitiesScoring,
  probabilitiesCalibration,
  scoringRules,
  expectedScore,
  probabilityFromScore,
  expectedCalibrationError,
  calibrationScenarios,
  calibrationModels,
  reliabilityFigure,
  separationFigure,
  scoringFigure,
  CALIBRATION_UNIT,
} from './chapters/probabilities';
export type {
  CalibrationModelId,
  CalibrationResult,
  CalibrationScenario,
  ModelCalibration,
  ScenarioCalibration,
  ScoringResult,
  ScoringRule,
} from './chapters/probabilities';
export {
  labelNoiseSymmetric,
  labelNoiseLongServedio,
  noiseLosses,
  flipLabels,
  longServedioPoints,
  constructionAccuracy,
  noisyPopulation,
  symmetricRamp,
  zeroOneDirection,
  rampFit,
  symmetricNoiseFigure,
  constructionFigure,
  rateFigure,
  gammaFigure,
  GAMMA,
} from './chapters/labelNoise';
export type { LongServedio, PopulationFit, SymmetricNoise } from './chapters/labelNoise';
