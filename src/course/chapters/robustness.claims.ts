/**
 * The note's claims about robustness and precision (L1 robust, L2 sensitive to outliers, L2
 * more precise), decided by the repeated experiments of chapter 05 (`robustness.ts`).
 *
 * "Robust" is measured as an exponent: how the error of a fit grows with the distance of the
 * contaminating points, fitted as a slope on a log–log scale over distances 10 … 10⁴. A bounded
 * influence gives slope 0; an estimator that follows the outliers gives slope 1. The threshold
 * ½ sits halfway between the two and is fixed here, before any run.
 */
import type { ClaimSpec } from '../verdict';

const CHAPTER = '05-robustness.ipynb';
const FOLLOWS = 'slope 0 = bounded influence, slope 1 = the fit follows the outliers; ½ is halfway';
const EQUAL = 'a ratio of 1 means equally precise; the interval must exclude it';

export const robustnessClaims: ClaimSpec[] = [
  {
    id: 'l1-robust',
    topic: 'l1',
    claim: 'The L1 loss is robust: outliers disturb it less.',
    kind: 'experiment',
    readings: [
      {
        reading: 'against outliers in the target (20% of the rows moved vertically)',
        conditions: [{ statistic: 'l1VerticalOutlierExponent', test: 'below', threshold: 0.5, because: FOLLOWS }],
      },
      {
        reading: 'against outliers in the inputs (10% leverage points)',
        conditions: [{ statistic: 'l1LeverageExponent', test: 'below', threshold: 0.5, because: FOLLOWS }],
      },
    ],
    experiment: 'robustness-outlier-distance',
    evidence: { chapter: CHAPTER, heading: '4. Leverage points break L1 too' },
  },
  {
    id: 'l2-outliers',
    topic: 'l2',
    claim: 'A few outliers are enough to throw the L2 fit off.',
    kind: 'experiment',
    readings: [
      {
        reading: 'a single outlier among 100 rows, moved further and further',
        conditions: [{ statistic: 'l2SingleOutlierExponent', test: 'above', threshold: 0.5, because: FOLLOWS }],
      },
    ],
    experiment: 'robustness-outlier-distance',
    evidence: { chapter: CHAPTER, heading: '2. One far outlier: L2 follows it without limit' },
  },
  {
    id: 'l2-precise',
    topic: 'l2',
    claim: 'L2 gives more precise fits than L1 and is the better choice.',
    kind: 'experiment',
    readings: [
      {
        reading: 'under Gaussian noise',
        conditions: [{ statistic: 'slopeVarianceRatioGaussian', test: 'below', threshold: 1, because: EQUAL }],
      },
      {
        reading: 'under Laplace noise (tails like e^−|r|)',
        conditions: [{ statistic: 'slopeVarianceRatioLaplace', test: 'below', threshold: 1, because: EQUAL }],
      },
      {
        reading: 'under heavy-tailed noise (Student t with 2 degrees of freedom)',
        conditions: [{ statistic: 'slopeVarianceRatioHeavy', test: 'below', threshold: 1, because: EQUAL }],
      },
    ],
    experiment: 'robustness-efficiency',
    evidence: { chapter: CHAPTER, heading: '5. Gaussian vs heavy-tailed noise: who is efficient' },
  },
];
