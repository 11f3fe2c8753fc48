// The comparison as a Slack Block Kit message: the base quote, then each variant in rank order
// with its deltas and an approval badge, and a Promote button per valid variant. Built within
// Block Kit's limits (50 blocks, 10 fields of 2,000 characters, 3,000 per text, 75 per button
// label, 2,000 per button value), so a card Slack would refuse is never sent.
import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { formatBps, formatMinor } from '../domain/cpq/money.js';
import type { PolicyResult } from '../domain/cpq/policy.js';
import { approvalOf, approvalText, describeChange, signedBps, signedMinor } from '../domain/simulator/describe.js';
import type { Comparison } from '../domain/desk/deal-desk.js';

export const BLOCK_LIMITS = {
  blocks: 50,
  fields: 10,
  fieldChars: 2000,
  textChars: 3000,
  buttonText: 75,
  buttonValue: 2000,
  headerChars: 150,
};
export const PROMOTE_ACTION = 'dealflight_promote';

export interface SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
  replace_original?: boolean;
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const field = (label: string, value: string) => ({
  type: 'mrkdwn' as const,
  text: cut(`*${label}*\n${value}`, BLOCK_LIMITS.fieldChars),
});

function badge(policy: PolicyResult | undefined, text: string): string {
  if (!policy) return `:no_entry: ${text}`;
  return policy.status === 'auto_approved' ? `:white_check_mark: ${text}` : `:warning: ${text}`;
}

export function comparisonCard(c: Comparison, currency: string): SlackMessage {
  const base: SectionBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: cut(`*Base quote ${c.quote.id}* · ${c.quote.termMonths} months`, BLOCK_LIMITS.textChars),
    },
    fields: [
      field('Net', formatMinor(c.base.priced.netMinor, currency)),
      field('Discount', formatBps(c.base.priced.discountBps)),
      field('Margin', formatBps(c.base.priced.marginBps)),
      field('Approval', badge(c.base.policy, approvalText(c.base.policy))),
    ],
  };
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: cut(`Quote ${c.quote.id}: ${c.variants.length} what-if variants`, BLOCK_LIMITS.headerChars),
      },
    },
    base,
    { type: 'divider' },
  ];
  for (const v of c.variants) {
    const section: SectionBlock = {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(`*#${v.rank} ${v.key}* · ${v.changes.map(describeChange).join(', ')}`, BLOCK_LIMITS.textChars),
      },
      fields:
        v.priced && v.delta
          ? [
              field('Net', `${formatMinor(v.priced.netMinor, currency)} (${signedMinor(v.delta.netMinor, currency)})`),
              field('Discount', `${formatBps(v.priced.discountBps)} (${signedBps(v.delta.discountBps)})`),
              field('Margin', `${formatBps(v.priced.marginBps)} (${signedBps(v.delta.marginBps)})`),
              field('Approval', badge(v.policy, approvalOf(v))),
            ]
          : [field('Approval', badge(v.policy, approvalOf(v)))],
    };
    blocks.push(section);
    if (v.priced) {
      const actions: ActionsBlock = {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: `${PROMOTE_ACTION}:${v.key}`,
            text: { type: 'plain_text', text: cut(`Promote ${v.key}`, BLOCK_LIMITS.buttonText) },
            value: JSON.stringify({ runId: c.runId, variantKey: v.key }),
            ...(v.rank === 1 ? { style: 'primary' as const } : {}),
          },
        ],
      };
      blocks.push(actions);
    }
  }
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `run ${c.runId} · ranked by approval needed, then margin, net price, variant key` },
    ],
  });
  return {
    response_type: 'ephemeral',
    text: `Quote ${c.quote.id}: ${c.variants.length} variants compared`,
    blocks: blocks.slice(0, BLOCK_LIMITS.blocks),
  };
}

/** A one-line answer (errors, the paused notice, promotions). */
export function notice(text: string): SlackMessage {
  return { response_type: 'ephemeral', text: cut(text, BLOCK_LIMITS.textChars) };
}
