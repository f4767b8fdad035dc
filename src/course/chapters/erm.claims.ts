/**
 * The note's opening claims about losses, risks and empirical risk minimisation, decided by
 * the experiments of chapter 01 (`erm.ts`).
 */
import type { ClaimSpec } from '../verdict';

const CHAPTER = '01-empirical-risk-minimisation.ipynb';
/** A rounding-bound statistic below this is "equal up to rounding": the bound itself, in its own units. */
const ROUNDING = 'one rounding bound: the largest error the floating-point sums involved can make';

export const ermClaims: ClaimSpec[] = [
  {
    id: 'erm-minimise',
    topic: 'erm',
    claim:
      'Training searches for parameters that make the loss small, the loss scoring how well the outputs agree with the training labels.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the definition of empirical risk minimisation',
        conditions: [
          {
            statistic: 'trainingObjectiveRatio',
            test: 'below',
            threshold: 1,
            because: 'below 1 means the objective ended lower than it started',
          },
        ],
      },
    ],
    experiment: 'erm-training',
    evidence: { chapter: CHAPTER, heading: '4b. By gradient descent on a surrogate' },
  },
  {
    id: 'erm-synonyms',
    topic: 'erm',
    claim: 'Loss, cost, objective and error function are four names for one thing.',
    kind: 'definition',
    readings: [
      {
        reading: 'for plain ERM, the objective is the mean loss',
        conditions: [{ statistic: 'unpenalisedObjectiveGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
      {
        reading: 'with a penalty, the objective is still the mean loss',
        conditions: [{ statistic: 'penalisedObjectiveGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
      {
        reading: 'the error rate (0–1 loss) is the loss that training minimises',
        conditions: [{ statistic: 'errorRateVsSurrogateGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'erm-identities',
    evidence: { chapter: CHAPTER, heading: '1. Loss and risk' },
  },
  {
    id: 'erm-average',
    topic: 'erm',
    claim: 'The loss of a data set is the average of the losses of its examples.',
    kind: 'definition',
    readings: [
      {
        reading: 'as the package computes the risk',
        conditions: [{ statistic: 'averageGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'erm-identities',
    evidence: { chapter: CHAPTER, heading: '1. Loss and risk' },
  },
  {
    id: 'erm-sum',
    topic: 'erm',
    claim:
      'The empirical risk is the total of the losses over the examples (while also being called their average), and it is minimised over the decision rule.',
    kind: 'property',
    readings: [
      {
        reading: 'the total and the average pick the same minimiser',
        conditions: [
          {
            statistic: 'argminDisagreements',
            test: 'below',
            threshold: 0.5,
            because: 'a count: below ½ means none of the data sets disagreed',
          },
        ],
      },
      {
        reading: 'the total is the average (the same number)',
        conditions: [
          {
            statistic: 'totalOverAverage',
            test: 'within',
            threshold: [1 - 1e-12, 1 + 1e-12],
            because: 'equal numbers have ratio 1, up to rounding',
          },
        ],
      },
    ],
    experiment: 'erm-identities',
    evidence: { chapter: CHAPTER, heading: '2. A sum or a mean: the same minimiser' },
  },
  {
    id: 'erm-variables',
    topic: 'erm',
    claim: 'The loss tells how much each variable contributes to the quantity being optimised.',
    kind: 'property',
    readings: [
      {
        reading: 'per example: the total splits into one term per example',
        conditions: [{ statistic: 'exampleAdditivityGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
      {
        reading: 'per input variable: the loss of a sum of feature contributions splits into one loss per feature',
        conditions: [{ statistic: 'featureAdditivityGap', test: 'below', threshold: 1, because: ROUNDING }],
      },
    ],
    experiment: 'erm-identities',
    evidence: { chapter: CHAPTER, heading: '1. Loss and risk' },
  },
];
