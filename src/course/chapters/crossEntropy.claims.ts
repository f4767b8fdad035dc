/**
 * The note's claims about cross-entropy, decided by the derivations of chapter 02 and the
 * network experiments of chapter 10 (`derivations.ts`, `networks.ts`).
 */
import type { ClaimSpec } from '../verdict';

const DERIVATIONS = '02-derivations.ipynb';
const NETWORKS = '10-multiclass-and-networks.ipynb';
const ROUNDING = 'one rounding bound: the largest error the floating-point evaluation involved can make';

export const crossEntropyClaims: ClaimSpec[] = [
  {
    id: 'ce-kl',
    topic: 'crossEntropy',
    claim:
      'Cross-entropy is a near relative of the Kullback–Leibler divergence between the label distribution and the predicted one.',
    kind: 'property',
    readings: [
      {
        reading: 'as the identity CE = entropy + KL',
        conditions: [{ statistic: 'entropyPlusKlGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'derivations-cross-entropy',
    evidence: { chapter: DERIVATIONS, heading: '7. Cross-entropy = entropy + KL divergence' },
  },
  {
    id: 'ce-product',
    topic: 'crossEntropy',
    claim: 'Cross-entropy cannot naturally be written as a function of the product of label and prediction.',
    kind: 'property',
    readings: [
      {
        reading: 'on the probability scale (a function of t·p)',
        conditions: [
          {
            statistic: 'probabilityProductCounterexampleGap',
            test: 'above',
            threshold: 1,
            because: `two pairs with the same t·p differ by more than ${ROUNDING}`,
          },
        ],
      },
      {
        reading: 'on the score scale (a function of the margin y·f, with y = 2t − 1)',
        conditions: [
          {
            statistic: 'marginFormGap',
            test: 'above',
            threshold: 1,
            because: `cross-entropy differs from a function of y·f by more than ${ROUNDING}`,
          },
        ],
      },
    ],
    experiment: 'derivations-cross-entropy',
    evidence: { chapter: DERIVATIONS, heading: '6. The logistic loss is cross-entropy in disguise' },
  },
  {
    id: 'ce-labels',
    topic: 'crossEntropy',
    claim:
      'With labels t = (1 + y)/2 in {0, 1}, cross-entropy is −t ln f − (1 − t) ln(1 − f) for a predicted probability f.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the package computes it',
        conditions: [{ statistic: 'crossEntropyFormulaGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'derivations-cross-entropy',
    evidence: { chapter: DERIVATIONS, heading: '6. The logistic loss is cross-entropy in disguise' },
  },
  {
    id: 'ce-convex',
    topic: 'crossEntropy',
    claim: 'Cross-entropy is convex.',
    kind: 'property',
    readings: [
      {
        reading: 'in the prediction (probability or score), hence in the weights of a linear model',
        conditions: [
          {
            statistic: 'crossEntropyMinSecondDerivative',
            test: 'above',
            threshold: 0,
            because: 'a second derivative above 0 everywhere means convex',
          },
        ],
      },
      {
        reading: 'in the weights of a network with one hidden unit',
        conditions: [
          {
            statistic: 'networkLargestChordViolation',
            test: 'below',
            threshold: 1,
            because: `convexity allows no point above a chord, beyond ${ROUNDING}`,
          },
        ],
      },
    ],
    experiment: 'networks-convexity',
    evidence: { chapter: NETWORKS, heading: '4. A network with one hidden unit is not convex' },
  },
  {
    id: 'ce-sgd',
    topic: 'crossEntropy',
    claim: 'Stochastic gradient descent can minimise cross-entropy.',
    kind: 'experiment',
    readings: [
      {
        reading: 'for a linear model (logistic regression): the gap to the optimum keeps shrinking',
        conditions: [
          {
            statistic: 'sgdGapExponentLinear',
            test: 'below',
            threshold: 0,
            because: 'a negative log–log slope of the gap against epochs means it keeps shrinking',
          },
        ],
      },
      {
        reading: 'for a small network: the gap to the best loss found by any start keeps shrinking',
        conditions: [
          {
            statistic: 'sgdGapExponentNetwork',
            test: 'below',
            threshold: 0,
            because: 'a negative log–log slope of the gap against epochs means it keeps shrinking',
          },
        ],
      },
    ],
    experiment: 'networks-sgd',
    evidence: { chapter: NETWORKS, heading: '5. Stochastic gradient descent on cross-entropy' },
  },
];
