/**
 * The note's claims about the L1 and L2 regression losses that concern the optimisation problem
 * (definitions, uniqueness, stability, cost, sparsity, high dimensions, prediction speed),
 * decided by the experiments of chapter 03 (`regression.ts`).
 *
 * Several of the note's L1/L2 items come from a comparison of L1 and L2 *regularisation*
 * (penalties on the weights), not of the losses: sparsity, high dimensions, prediction speed,
 * the cost of the closed form. Those claims carry `asMeant`: the same claim judged about the
 * penalty, beside the verdict on the claim as written (about the loss).
 */
import type { ClaimSpec } from '../verdict';

const CHAPTER = '03-regression-losses.ipynb';
const ROUNDING = 'one rounding bound: the largest error the floating-point sums involved can make';
const EQUAL = 'a ratio of 1 means no difference; the interval must exclude it';
const PENALTY = 'the source compared the L1 penalty (the lasso) with the L2 penalty (ridge), both on the squared error';

export const regressionClaims: ClaimSpec[] = [
  {
    id: 'l1-definition',
    topic: 'l1',
    claim: 'The L1 loss of a fit is the mean of the absolute differences between targets and predictions.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the package computes it',
        conditions: [{ statistic: 'l1DefinitionGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'regression-definitions',
    evidence: { chapter: CHAPTER, heading: '1. Three losses, three slopes' },
  },
  {
    id: 'l2-definition',
    topic: 'l2',
    claim: 'The L2 loss of a fit is the mean of the squared differences between targets and predictions.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the package computes it',
        conditions: [{ statistic: 'l2DefinitionGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'regression-definitions',
    evidence: { chapter: CHAPTER, heading: '1. Three losses, three slopes' },
  },
  {
    id: 'l2-large-errors',
    topic: 'l2',
    claim: 'The L2 loss punishes large errors disproportionately more than the L1 loss.',
    kind: 'property',
    readings: [
      {
        reading: 'for errors larger than one unit',
        conditions: [
          {
            statistic: 'l2OverL1BeyondOne',
            test: 'above',
            threshold: 1,
            because: 'a ratio above 1 at every |r| > 1 means L2 weighs those errors more',
          },
          {
            statistic: 'l2OverL1Growth',
            test: 'above',
            threshold: 0,
            because:
              'a positive log–log slope of the ratio against |r| means "disproportionately": more so the larger the error',
          },
        ],
      },
    ],
    experiment: 'regression-definitions',
    evidence: { chapter: CHAPTER, heading: '1. Three losses, three slopes' },
  },
  {
    id: 'l1-multiple',
    topic: 'l1',
    claim: 'An L1 fit can have several optimal solutions.',
    kind: 'property',
    readings: [
      {
        reading: 'on samples of even size (the constant model) and on tied designs (the line)',
        conditions: [
          {
            statistic: 'l1NonUniqueCount',
            test: 'above',
            threshold: 0.5,
            because:
              'an existence claim, decided on the cases drawn: a count above ½ means at least one case had two verified optima',
          },
        ],
      },
    ],
    experiment: 'regression-uniqueness',
    evidence: { chapter: CHAPTER, heading: '3. One L2 optimum, a whole interval of L1 optima' },
  },
  {
    id: 'l2-unique',
    topic: 'l2',
    claim: 'The L2 fit is stable because it always has exactly one solution.',
    kind: 'property',
    readings: [
      {
        reading: 'for a design matrix of full column rank',
        conditions: [
          {
            statistic: 'l2FullRankNonUniqueShare',
            test: 'below',
            threshold: 0.5,
            because: 'a count-based share: below ½ of a case means none of the designs had a second solution',
          },
        ],
      },
      {
        reading: 'for any design matrix (a duplicated column included)',
        conditions: [
          {
            statistic: 'l2DuplicatedColumnUniqueShare',
            test: 'above',
            threshold: 0.5,
            because: 'the claim says "always": a majority of rank-deficient designs would have to have one solution',
          },
        ],
      },
    ],
    experiment: 'regression-uniqueness',
    evidence: { chapter: CHAPTER, heading: '3. One L2 optimum, a whole interval of L1 optima' },
  },
  {
    id: 'l1-unstable',
    topic: 'l1',
    claim: 'The L1 solution is unstable.',
    kind: 'experiment',
    readings: [
      {
        reading: 'when one target y moves a little',
        conditions: [
          {
            statistic: 'l1JumpCountMovingY',
            test: 'above',
            threshold: 0.5,
            because:
              'unstable = a jump that survives as the move shrinks to 1e-9; an existence claim decided on the data sets drawn: a count above ½ means at least one had such a jump',
          },
        ],
      },
      {
        reading: 'when one input x moves a little',
        conditions: [
          {
            statistic: 'l1JumpCountMovingX',
            test: 'above',
            threshold: 0.5,
            because:
              'unstable = a jump that survives as the move shrinks to 1e-9; an existence claim decided on the data sets drawn: a count above ½ means at least one had such a jump',
          },
        ],
      },
    ],
    experiment: 'regression-stability',
    evidence: { chapter: CHAPTER, heading: '4. Stability under a small perturbation' },
  },
  {
    id: 'l1-expensive',
    topic: 'l1',
    claim: 'On problems that are not sparse, fitting with the L1 loss is computationally inefficient.',
    kind: 'experiment',
    readings: [
      {
        reading: 'it costs more than least squares on dense data',
        conditions: [{ statistic: 'lpOverLeastSquaresWork', test: 'above', threshold: 1, because: EQUAL }],
      },
      {
        reading: 'its cost grows faster with n than that of least squares',
        conditions: [
          {
            statistic: 'lpMinusLeastSquaresExponent',
            test: 'above',
            threshold: 0.25,
            because:
              'a worse complexity class differs by a power of n; ¼ is halfway between "same growth" (0) and the smallest common step (n^½)',
          },
        ],
      },
    ],
    asMeant: {
      explanation: PENALTY,
      readings: [
        {
          reading: 'the lasso costs more than ridge regression on dense data',
          conditions: [{ statistic: 'lassoOverRidgeWork', test: 'above', threshold: 1, because: EQUAL }],
        },
      ],
    },
    experiment: 'regression-cost',
    evidence: { chapter: CHAPTER, heading: '5. Closed form vs iterative: the cost, measured' },
  },
  {
    id: 'l2-cheap',
    topic: 'l2',
    claim: 'The L2 fit is computationally efficient because it has a closed-form solution.',
    kind: 'experiment',
    readings: [
      {
        reading: 'compared with the L1 fit on the same data',
        conditions: [{ statistic: 'leastSquaresOverLpWork', test: 'below', threshold: 1, because: EQUAL }],
      },
    ],
    asMeant: {
      explanation: PENALTY,
      readings: [
        {
          reading: 'ridge regression (closed form) against the lasso (iterative)',
          conditions: [{ statistic: 'ridgeOverLassoWork', test: 'below', threshold: 1, because: EQUAL }],
        },
      ],
    },
    experiment: 'regression-cost',
    evidence: { chapter: CHAPTER, heading: '5. Closed form vs iterative: the cost, measured' },
  },
  {
    id: 'l2-cheap-is-a-con',
    topic: 'l2',
    claim: "The L2 fit's computational efficiency is a drawback (the note files it under cons).",
    kind: 'experiment',
    readings: [
      {
        reading: 'a drawback against L1: the L2 fit would cost more',
        conditions: [{ statistic: 'leastSquaresOverLpWork', test: 'above', threshold: 1, because: EQUAL }],
      },
    ],
    asMeant: {
      explanation: `${PENALTY}; there the closed form of ridge is listed as an advantage and the lack of sparse weights as its drawback`,
      readings: [
        {
          reading: 'the drawback of ridge: it sets no weight exactly to zero',
          conditions: [
            {
              statistic: 'ridgeExactZeros',
              test: 'below',
              threshold: 0.5,
              because: 'a mean count below ½ means ridge left no weight at exactly 0',
            },
          ],
        },
      ],
    },
    experiment: 'regression-cost',
    evidence: { chapter: CHAPTER, heading: '5. Closed form vs iterative: the cost, measured' },
  },
  {
    id: 'l1-sparse',
    topic: 'l1',
    claim: 'Fitting with the L1 loss gives sparser solutions.',
    kind: 'experiment',
    readings: [
      {
        reading: 'more exact-zero weights than least squares, with fewer features than rows',
        conditions: [
          {
            statistic: 'ladMinusLeastSquaresZerosNarrow',
            test: 'above',
            threshold: 0,
            because: 'a positive mean difference of zero counts means sparser',
          },
        ],
      },
      {
        reading: 'more exact-zero weights than least squares, with more features than rows',
        conditions: [
          {
            statistic: 'ladMinusLeastSquaresZerosWide',
            test: 'above',
            threshold: 0,
            because: 'a positive mean difference of zero counts means sparser',
          },
        ],
      },
    ],
    asMeant: {
      explanation: PENALTY,
      readings: [
        {
          reading: 'the lasso against least squares',
          conditions: [
            {
              statistic: 'lassoMinusLeastSquaresZerosNarrow',
              test: 'above',
              threshold: 0,
              because: 'a positive mean difference of zero counts means sparser',
            },
          ],
        },
      ],
    },
    experiment: 'regression-dimensions',
    evidence: { chapter: CHAPTER, heading: '6. "Sparser solutions": the L1 loss vs the L1 penalty' },
  },
  {
    id: 'l1-high-dimensions',
    topic: 'l1',
    claim: 'The L1 loss does well when there are many features.',
    kind: 'experiment',
    readings: [
      {
        reading: 'lower test error than least squares with fewer features than rows (40 of 60)',
        conditions: [{ statistic: 'ladOverLeastSquaresTestErrorNarrow', test: 'below', threshold: 1, because: EQUAL }],
      },
      {
        reading: 'lower test error than least squares with more features than rows (120 for 60)',
        conditions: [{ statistic: 'ladOverLeastSquaresTestErrorWide', test: 'below', threshold: 1, because: EQUAL }],
      },
    ],
    asMeant: {
      explanation: PENALTY,
      readings: [
        {
          reading: 'the lasso against least squares (40 features, 60 rows)',
          conditions: [
            { statistic: 'lassoOverLeastSquaresTestErrorNarrow', test: 'below', threshold: 1, because: EQUAL },
          ],
        },
      ],
    },
    experiment: 'regression-dimensions',
    evidence: { chapter: CHAPTER, heading: '7. Many features: the L1 loss, the L1 penalty and least squares' },
  },
  {
    id: 'l1-prediction-speed',
    topic: 'l1',
    claim: 'The L1 loss gives faster predictions.',
    kind: 'experiment',
    readings: [
      {
        reading: 'fewer multiplications per prediction than least squares, with fewer features than rows',
        conditions: [{ statistic: 'ladOverLeastSquaresNonZerosNarrow', test: 'below', threshold: 1, because: EQUAL }],
      },
      {
        reading: 'fewer multiplications per prediction than least squares, with more features than rows',
        conditions: [{ statistic: 'ladOverLeastSquaresNonZerosWide', test: 'below', threshold: 1, because: EQUAL }],
      },
    ],
    asMeant: {
      explanation: PENALTY,
      readings: [
        {
          reading: 'the lasso against least squares',
          conditions: [
            { statistic: 'lassoOverLeastSquaresNonZerosNarrow', test: 'below', threshold: 1, because: EQUAL },
          ],
        },
      ],
    },
    experiment: 'regression-dimensions',
    evidence: { chapter: CHAPTER, heading: '7. Many features: the L1 loss, the L1 penalty and least squares' },
  },
];
