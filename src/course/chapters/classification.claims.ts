/**
 * The note's claims about the classification losses (square, hinge, logistic), decided by the
 * experiments of chapter 04 (`classification.ts`).
 */
import type { ClaimSpec } from '../verdict';

const CHAPTER = '04-classification-losses.ipynb';
const ROUNDING = 'one rounding bound: the largest error the floating-point evaluation involved can make';
const FACTOR_TWO = '"about as fast" fixed in advance as: within a factor of 2 either way';

export const classificationClaims: ClaimSpec[] = [
  {
    id: 'square-margin',
    topic: 'square',
    claim: 'The squared error can serve for classification, written as a function φ(y·f) of the margin: (1 − y·f)².',
    kind: 'definition',
    readings: [
      {
        reading: 'for labels y = ±1',
        conditions: [{ statistic: 'squareMarginGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'classification-margin-losses',
    evidence: { chapter: CHAPTER, heading: '2. The square loss, as the lecture note describes it' },
  },
  {
    id: 'square-convex-smooth',
    topic: 'square',
    claim: 'The square loss is convex and smooth.',
    kind: 'property',
    readings: [
      {
        reading: 'in the score f',
        conditions: [
          {
            statistic: 'squareMinSecondDerivative',
            test: 'above',
            threshold: 0,
            because: 'a second derivative above 0 everywhere means convex',
          },
          {
            statistic: 'squareDerivativeJump',
            test: 'below',
            threshold: 1,
            because: `no jump of the derivative beyond ${ROUNDING}`,
          },
        ],
      },
    ],
    experiment: 'classification-margin-losses',
    evidence: { chapter: CHAPTER, heading: '2. The square loss, as the lecture note describes it' },
  },
  {
    id: 'square-matches-zero-one',
    topic: 'square',
    claim: 'The square loss agrees with the 0–1 loss at margin 0 and at margin 1.',
    kind: 'definition',
    readings: [
      {
        reading: 'at the two margins named',
        conditions: [{ statistic: 'squareVsZeroOneAtNamedMargins', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'classification-margin-losses',
    evidence: { chapter: CHAPTER, heading: '2. The square loss, as the lecture note describes it' },
  },
  {
    id: 'hinge-max-margin',
    topic: 'hinge',
    claim: 'The hinge loss is the loss of maximum-margin classifiers such as linear SVMs, whose score is w·x + b.',
    kind: 'experiment',
    readings: [
      {
        reading: 'on separable data, with a vanishing l2 penalty',
        conditions: [
          {
            statistic: 'hingeOverMaximumMargin',
            test: 'within',
            threshold: [0.999, 1.001],
            because:
              'equal to the maximum margin within 0.1%, far tighter than the gap to any other support-vector configuration of these data',
          },
        ],
      },
    ],
    experiment: 'classification-hinge',
    evidence: { chapter: CHAPTER, heading: '3. The hinge loss, as the lecture note describes it' },
  },
  {
    id: 'hinge-raw-score',
    topic: 'hinge',
    claim: 'The hinge loss must be applied to the raw score of the decision function, not to the predicted label.',
    kind: 'property',
    readings: [
      {
        reading: 'applied to the label sign(f), it gives training no slope to follow',
        conditions: [
          {
            statistic: 'labelHingeNonZeroGradientCount',
            test: 'below',
            threshold: 0.5,
            because: '"no slope" is universal: a count below ½ means no direction had one',
          },
          {
            statistic: 'scoreHingeNonZeroGradientShare',
            test: 'above',
            threshold: 0.5,
            because: 'on the raw score, most directions must have a slope for the contrast to mean anything',
          },
        ],
      },
    ],
    experiment: 'classification-hinge',
    evidence: { chapter: CHAPTER, heading: '3. The hinge loss, as the lecture note describes it' },
  },
  {
    id: 'hinge-zero',
    topic: 'hinge',
    claim: 'The hinge loss is zero when label and score agree in sign and the score is at least 1 in size.',
    kind: 'definition',
    readings: [
      {
        reading: 'on a grid of labels and scores',
        conditions: [{ statistic: 'hingeLargestWhereZeroExpected', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'classification-hinge',
    evidence: { chapter: CHAPTER, heading: '3. The hinge loss, as the lecture note describes it' },
  },
  {
    id: 'hinge-linear',
    topic: 'hinge',
    claim: 'On the wrong side of the boundary, the hinge loss grows linearly with the score.',
    kind: 'property',
    readings: [
      {
        reading: 'linearly in the size |f| of the score',
        conditions: [{ statistic: 'hingeGapToOnePlusSize', test: 'below', threshold: 1, because: ROUNDING }],
      },
      {
        reading: 'increasing as the score f itself increases, for both labels',
        conditions: [
          {
            statistic: 'hingeRisingWithScoreShare',
            test: 'above',
            threshold: 0.999,
            because: 'for both labels means on (nearly) every wrong-side grid step',
          },
        ],
      },
    ],
    experiment: 'classification-hinge',
    evidence: { chapter: CHAPTER, heading: '3. The hinge loss, as the lecture note describes it' },
  },
  {
    id: 'logistic-rate',
    topic: 'logistic',
    claim: 'The logistic loss converges about as fast as the hinge loss.',
    kind: 'experiment',
    readings: [
      {
        reading: 'statistically, on Gaussian classes (the excess 0–1 risk against n)',
        conditions: [
          { statistic: 'excessRiskRatioGaussian', test: 'within', threshold: [0.5, 2], because: FACTOR_TWO },
        ],
      },
      {
        reading: 'statistically, on classes with a margin of zero noise (a low-noise condition)',
        conditions: [
          { statistic: 'excessRiskRatioLowNoise', test: 'within', threshold: [0.5, 2], because: FACTOR_TWO },
        ],
      },
      {
        reading:
          'as optimisation (iterations of gradient descent against the subgradient method to a relative gap of 1e-6)',
        conditions: [{ statistic: 'iterationsRatio', test: 'within', threshold: [0.5, 2], because: FACTOR_TWO }],
      },
    ],
    experiment: 'classification-rates',
    evidence: {
      chapter: CHAPTER,
      heading: '5. Gradient descent on the logistic loss vs subgradient descent on the hinge loss',
    },
  },
  {
    id: 'logistic-continuous',
    topic: 'logistic',
    claim: 'Because the logistic loss is continuous, gradient descent can be used to minimise it.',
    kind: 'experiment',
    readings: [
      {
        reading: 'gradient descent does minimise the logistic risk',
        conditions: [
          {
            statistic: 'logisticGradientDescentGap',
            test: 'below',
            threshold: 1e-6,
            because:
              'the relative gap after the iteration budget, fixed at 1e-6 as "minimised", on every data set (the largest gap)',
          },
        ],
      },
      {
        reading:
          'continuity is what makes gradient descent work (so it works on any continuous loss, the hinge included)',
        conditions: [
          {
            statistic: 'hingeFixedStepGap',
            test: 'below',
            threshold: 1e-6,
            because:
              'the same budget and the same 1e-6 on the hinge, continuous but not differentiable, on every data set (the largest gap)',
          },
        ],
      },
    ],
    experiment: 'classification-rates',
    evidence: {
      chapter: CHAPTER,
      heading: '5. Gradient descent on the logistic loss vs subgradient descent on the hinge loss',
    },
  },
  {
    id: 'logistic-definition',
    topic: 'logistic',
    claim: 'The logistic loss is ln(1 + e^(−y·f)) divided by ln 2.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the package computes it',
        conditions: [{ statistic: 'logisticFormulaGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'classification-margin-losses',
    evidence: { chapter: CHAPTER, heading: '1. The margin losses side by side' },
  },
];
