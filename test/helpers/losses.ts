/**
 * Every loss the suites iterate over: the registry plus members of each parametrised family
 * at the parameters the family names as its examples. A loss added to `losses`, and a family
 * made with `family(...)`, are picked up here automatically.
 */
import { losses, type Loss } from '../../src/index';
import { lossFamilies } from '../../src/losses/family';

const FAMILY_MEMBERS: readonly Loss[] = lossFamilies().flatMap((f) => f.examples.map((v) => f.member(v)));

/** The registry's losses followed by the extra family members, each once. */
export const allLosses: readonly Loss[] = (() => {
  const seen = new Map<string, Loss>();
  for (const loss of [...Object.values(losses), ...FAMILY_MEMBERS]) if (!seen.has(loss.id)) seen.set(loss.id, loss);
  return [...seen.values()];
})();

/** The family a loss belongs to: its id without the parameter list (`quantile(0.1)` → `quantile`). */
export function familyOf(loss: Loss): string {
  return loss.id.replace(/\(.*\)$/, '');
}

/** The variable a loss is drawn against, at (y, f): margin y f, residual y - f, else f. */
export function axisValue(loss: Loss, y: number, f: number): number {
  switch (loss.properties.axis) {
    case 'margin':
      return y * f;
    case 'residual':
      return y - f;
    default:
      return f;
  }
}

/** The prediction f that puts (y, f) at `a` on the loss's axis (exact for y = ±1 margins). */
export function predictionAt(loss: Loss, y: number, a: number): number {
  switch (loss.properties.axis) {
    case 'margin':
      return a / y;
    case 'residual':
      return y - a;
    default:
      return a;
  }
}
