/**
 * The harvest rule for one lot, written once. Every place that judges a lot evaluates these
 * functions: `decide` in exact cents (economics.ts, harvest.ts), the screen by inverting the loss
 * floor into the highest close at which a lot could qualify (bulk/screen.ts), and the columnar
 * scan per candidate in dollars and for whole lattice cells at once in the normalized form
 * (bulk/scan.ts, bulk/cells.ts). A change to the rule is a change here, and reaches all of them.
 *
 *   qualifies      loss >= floor: the minimum loss, and under a fixed threshold also fraction × basis
 *   net benefit    benefit - spread - commissions - opportunity cost
 *   cost-benefit   harvest when net benefit > minNetBenefitBps × market value
 *   fixed          harvest when loss >= fraction × basis and benefit > spread + commissions
 *
 * Amounts are in one unit per call (cents in `decide`, dollars in the scan). The normalized form,
 * `marginRate`, divides the cost-benefit test by market value × the short-term loss value: with a
 * loss worth ρ short-term dollars per dollar, at x = ln(value / basis), it is
 * ρ(e^{-x} - 1) - κ - opportunity - ε, where κ and ε are the spread and the required net benefit in
 * the same units. Its shape (convex in x between the lattice's nodes) is what lets bulk/cells.ts
 * settle whole cells.
 */
import type { HarvestConfig } from './config.js';

export type RuleConfig = Pick<HarvestConfig, 'trigger' | 'minLoss' | 'minNetBenefitBps'>;

/** The smallest loss that lets a lot of this basis be harvested (same unit as `basis`, cents by default). */
export function lossFloor(basis: number, config: RuleConfig): number {
  const t = config.trigger;
  return t.kind === 'loss_at_least' ? Math.max(config.minLoss, t.fraction * basis) : config.minLoss;
}

/** Whether the loss reaches the minimum loss (the first test, shared by every trigger). */
export function reachesMinimum(loss: number, config: RuleConfig): boolean {
  return loss >= config.minLoss;
}

export function netBenefit(benefit: number, spread: number, commissions: number, opportunity: number): number {
  return benefit - spread - commissions - opportunity;
}

/** The net benefit the cost-benefit trigger requires beyond zero, for a position of this value. */
export function requiredNet(marketValue: number, minNetBenefitBps: number): number {
  return (minNetBenefitBps / 10_000) * marketValue;
}

/**
 * The trigger, for a lot that reached the minimum loss and has a free alternate: whether its
 * benefit beats its costs. `net` is `netBenefit` of the same terms (callers keep it for reports).
 */
export function worthHarvesting(config: RuleConfig, loss: number, marketValue: number, benefit: number, spread: number, commissions: number, net: number): boolean {
  const t = config.trigger;
  switch (t.kind) {
    case 'cost_benefit':
      return net > requiredNet(marketValue, config.minNetBenefitBps);
    case 'loss_at_least':
      return loss >= t.fraction * (loss + marketValue) && benefit > spread + commissions;
    case 'off':
      return false;
  }
}

/**
 * The cost-benefit test normalized per dollar of market value and short-term loss value, without
 * commissions: positive exactly when `worthHarvesting` is true for a lot at x = ln(value / basis)
 * whose loss is worth ρ per short-term dollar, with spread κ, opportunity cost `opportunity` and
 * required net ε in the same units.
 */
export function marginRate(rho: number, x: number, kappa: number, opportunity: number, epsilon: number): number {
  return netBenefit(rho * (Math.exp(-x) - 1), kappa, 0, opportunity) - epsilon;
}
