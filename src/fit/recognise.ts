/**
 * Recognising the members of the parametrised loss families, for the methods that use a
 * loss's closed form rather than only its values and derivatives. Identity, not the id
 * string: a user's own `defineLoss({ id: 'quantile(0.5)', ... })` is not the pinball loss.
 */
import { epsilonInsensitive, quantile } from '../losses/regression';
import type { Loss } from '../losses/types';

/** τ when `loss` is `quantile(τ)`, else null. */
export function quantileLevel(loss: Loss): number | null {
  const { tau } = loss.params;
  return typeof tau === 'number' && loss.id.startsWith('quantile(') && loss === quantile(tau) ? tau : null;
}

/** ε when `loss` is `epsilonInsensitive(ε)`, else null. */
export function tubeWidth(loss: Loss): number | null {
  const { epsilon } = loss.params;
  return typeof epsilon === 'number' && loss.id.startsWith('epsilonInsensitive(') && loss === epsilonInsensitive(epsilon) ? epsilon : null;
}
