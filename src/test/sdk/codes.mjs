// Drives a running Bestow's campaigns, vouchers, publications, validations, redemptions and rollbacks with
// Voucherify's official JavaScript SDK, changing nothing but the base URL and keys.
// Usage: BESTOW_URL=http://localhost:8080 BESTOW_APP_ID=… BESTOW_APP_TOKEN=… node codes.mjs
import assert from 'node:assert/strict'
import { client, run, step, finish } from './client.mjs'

let campaign
await step('campaigns.create and get', async () => {
  campaign = await client.campaigns.create({
    name: `${run} referral`, campaign_type: 'REFERRAL_PROGRAM', type: 'AUTO_UPDATE',
    voucher: { type: 'DISCOUNT_VOUCHER', discount: { type: 'PERCENT', percent_off: 20, amount_limit: 3000 },
               code_config: { pattern: 'REF-####-????', charset: '0123456789' }, is_referral_code: true },
    metadata: { region: 'EU' },
  })
  assert.match(campaign.id, /^camp_/)
  assert.equal((await client.campaigns.get(campaign.name)).id, campaign.id)
})

let gift
await step('vouchers.create without and with a code, get, update', async () => {
  gift = await client.vouchers.create({ type: 'GIFT_VOUCHER', gift: { amount: 10000 }, code_config: { prefix: 'GC-', length: 8 } })
  assert.match(gift.code, /^GC-/)
  assert.equal(gift.gift.balance, 10000)
  const fixed = await client.vouchers.create({ code: `${run}-TEN`, type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 1000 } })
  assert.equal(fixed.code, `${run}-TEN`)
  assert.equal((await client.vouchers.get(fixed.code)).discount.amount_off, 1000)
  const updated = await client.vouchers.update({ code: fixed.code, metadata: { note: 'sdk' } })
  assert.equal(updated.metadata.note, 'sdk')
  assert.equal((await client.vouchers.disable(fixed.code)).active, false)
  assert.equal((await client.vouchers.enable(fixed.code)).active, true)
})

let referralCode
await step('distributions.publications.create with join_once', async () => {
  const publication = await client.distributions.publications.create({
    campaign: { name: campaign.name }, customer: { source_id: `${run}-referrer`, email: 'referrer@example.com' }, join_once: true,
  })
  assert.equal(publication.object, 'publication')
  referralCode = publication.voucher.code
  assert.match(referralCode, /^REF-\d{4}-[A-Z]{4}$/)
  const again = await client.distributions.publications.create({
    campaign: { name: campaign.name }, customer: { source_id: `${run}-referrer` }, join_once: true,
  })
  assert.equal(again.voucher.code, referralCode)
})

await step('validations.validateStackable and validateVoucher', async () => {
  const stacked = await client.validations.validateStackable({
    redeemables: [{ object: 'voucher', id: referralCode }], customer: { source_id: `${run}-referee` }, order: { amount: 20000 },
  })
  assert.equal(stacked.valid, true)
  assert.equal(stacked.order.total_discount_amount, 3000)
  const single = await client.validations.validateVoucher(gift.code, { order: { amount: 2500 } })
  assert.equal(single.valid, true, JSON.stringify(single))
  assert.equal(single.order.discount_amount, 2500)
  const unknown = await client.validations.validateVoucher(`${run}-nope`, { order: { amount: 100 } })
  assert.equal(unknown.valid, false)
  assert.equal(typeof unknown.reason, 'string')
  assert.equal(unknown.error.key, 'not_found')
})

let redemptionId
await step('redemptions.redeemStackable, get and list', async () => {
  const redeemed = await client.redemptions.redeemStackable({
    redeemables: [{ object: 'voucher', id: referralCode }],
    customer: { source_id: `${run}-referee`, email: 'referee@example.com' }, order: { amount: 20000 },
  })
  const redemption = redeemed.redemptions[0]
  redemptionId = redemption.id
  assert.equal(redemption.result, 'SUCCESS')
  assert.equal(redeemed.order.total_amount, 17000)
  assert.equal((await client.redemptions.get(redemptionId)).status, 'SUCCEEDED')
  const list = await client.redemptions.list({ limit: 5, result: 'SUCCESS' })
  assert.equal(list.object, 'list')
  assert.ok(list.redemptions.some(r => r.id === redemptionId))
})

await step('redemptions.redeem refuses with a Voucherify error key', async () => {
  await assert.rejects(
    client.redemptions.redeem(referralCode, { customer: { source_id: `${run}-referrer` }, order: { amount: 100 } }),
    error => error.code === 400 && error.key === 'referrer_not_permitted_to_redeem'
      && error.resource_type === 'redemption' && error.resource_id.startsWith('rf_'))
})

await step('redemptions.redeem a gift voucher and vouchers.balance.create', async () => {
  const redemption = await client.redemptions.redeem(gift.code, { gift: { credits: 4000 }, customer: { source_id: `${run}-referee` } })
  assert.equal(redemption.gift.amount, 4000)
  assert.equal(redemption.voucher.gift.balance, 6000)
  const balance = await client.vouchers.balance.create(gift.code, { amount: 500 })
  assert.equal(balance.balance, 6500)
})

await step('redemptions.rollback once, then refused', async () => {
  const rollback = await client.redemptions.rollback(redemptionId, 'returned')
  assert.equal(rollback.object, 'redemption_rollback')
  assert.equal(rollback.redemption, redemptionId)
  await assert.rejects(client.redemptions.rollback(redemptionId), error => error.key === 'already_rolled_back')
})

await step('redemptions.rollbackStackable undoes a redemption of several codes', async () => {
  const second = await client.vouchers.create({ code: `${run}-FIVE`, type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 500 } })
  const redeemed = await client.redemptions.redeemStackable({
    redeemables: [{ object: 'voucher', id: second.code }, { object: 'voucher', id: gift.code }], order: { amount: 1500 },
  })
  assert.ok(redeemed.parent_redemption.id)
  const rolled = await client.redemptions.rollbackStackable(redeemed.parent_redemption.id)
  assert.equal(rolled.rollbacks.length, 2)
})

await step('campaigns.importVouchers and vouchers.import', async () => {
  const imported = await client.campaigns.importVouchers(campaign.name, [{ code: `${run}-IMP-1` }, { code: `${run}-IMP-2` }])
  assert.match(imported.async_action_id, /^aa_/)
  assert.equal((await client.vouchers.get(`${run}-IMP-2`)).campaign_id, campaign.id)
  const standalone = await client.vouchers.import([{ code: `${run}-SOLO`, type: 'DISCOUNT_VOUCHER', discount: { type: 'AMOUNT', amount_off: 100 } }])
  const action = await client.asyncActions.get(standalone.async_action_id)
  assert.equal(action.status, 'DONE')
  assert.equal((await client.vouchers.get(`${run}-SOLO`)).discount.amount_off, 100)
})

await step('campaigns.addVoucher and vouchers.delete', async () => {
  const added = await client.campaigns.addVoucher(campaign.name)
  assert.equal(added.campaign_id, campaign.id)
  await client.vouchers.delete(added.code, { force: true })
  await assert.rejects(client.vouchers.get(added.code), error => error.code === 404)
})

finish()
