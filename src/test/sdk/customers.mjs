// Drives a running Bestow with Voucherify's official JavaScript SDK, changing nothing but the base URL and keys.
// Usage: BESTOW_URL=http://localhost:8080 BESTOW_APP_ID=… BESTOW_APP_TOKEN=… node customers.mjs
import assert from 'node:assert/strict'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { client, run, step, finish } from './client.mjs'

let created
await step('customers.create creates', async () => {
  created = await client.customers.create({
    source_id: `${run}-1`, name: 'Claire Doe', email: 'claire@example.com',
    address: { city: 'Berlin', country: 'DE' }, metadata: { tier: 'gold' },
  })
  assert.match(created.id, /^cust_/)
  assert.equal(created.object, 'customer')
  assert.equal(created.address.country, 'DE')
})

await step('customers.create upserts by source_id', async () => {
  const again = await client.customers.create({ source_id: `${run}-1`, phone: '+49 30 1' })
  assert.equal(again.id, created.id)
  assert.equal(again.name, 'Claire Doe')
  assert.equal(again.phone, '+49 30 1')
})

await step('customers.get by id and by source_id', async () => {
  assert.equal((await client.customers.get(created.id)).source_id, `${run}-1`)
  assert.equal((await client.customers.get(`${run}-1`)).id, created.id)
})

await step('customers.update by id and by source_id', async () => {
  const byId = await client.customers.update({ id: created.id, description: 'VIP' })
  assert.equal(byId.description, 'VIP')
  const bySource = await client.customers.update({ source_id: `${run}-1`, name: 'Claire D.' })
  assert.equal(bySource.name, 'Claire D.')
  assert.equal(bySource.description, 'VIP')
})

await step('customers.list pages and filters', async () => {
  for (let i = 2; i <= 4; i++) await client.customers.create({ source_id: `${run}-${i}`, email: `c${i}@example.com` })
  const page = await client.customers.list({ limit: 2 })
  assert.equal(page.object, 'list')
  assert.equal(page.data_ref, 'customers')
  assert.equal(page.customers.length, 2)
  assert.ok(page.total >= 4)
  const byEmail = await client.customers.list({ email: 'c3@example.com' })
  assert.deepEqual(byEmail.customers.map(c => c.source_id), [`${run}-3`])
  const after = await client.customers.list({ created_at: { after: '2000-01-01T00:00:00Z' }, limit: 100 })
  assert.ok(after.customers.some(c => c.id === created.id))
})

await step('customers.scroll walks every customer', async () => {
  const seen = new Set()
  for await (const customer of client.customers.scroll({ limit: 2 })) seen.add(customer.source_id)
  for (let i = 1; i <= 4; i++) assert.ok(seen.has(`${run}-${i}`), `scroll missed ${run}-${i}`)
})

await step('events.create tracks a custom event on the timeline', async () => {
  const event = await client.events.create('signed_up', { customer: { source_id: `${run}-1` }, metadata: { plan: 'pro' } })
  assert.equal(event.object, 'event')
  assert.equal(event.type, 'signed_up')
  const activity = await client.customers.listActivity(created.id)
  assert.equal(activity.data_ref, 'data')
  assert.equal(activity.data[0].name, 'signed_up')
})

await step('customers.importCSV and asyncActions.get', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bestow-sdk-'))
  const file = join(dir, 'customers.csv')
  writeFileSync(file, `source_id,name,email\n${run}-csv-1,Csv One,csv1@example.com\n${run}-csv-2,Csv Two,csv2@example.com\n`)
  const { async_action_id } = await client.customers.importCSV(file)
  let action
  for (let i = 0; i < 60; i++) {
    action = await client.asyncActions.get(async_action_id)
    if (action.status === 'DONE' || action.status === 'FAILED') break
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  assert.equal(action.status, 'DONE')
  assert.equal((await client.customers.get(`${run}-csv-2`)).name, 'Csv Two')
})

await step('customers.delete removes the customer', async () => {
  await client.customers.delete(`${run}-2`)
  await assert.rejects(client.customers.get(`${run}-2`), error => error.code === 404 && error.key === 'not_found')
})

await step('customers.deletePermanently erases the customer', async () => {
  const deletion = await client.customers.deletePermanently(created.id)
  assert.equal(deletion.object, 'pernament_deletion')
  assert.equal(deletion.related_object_id, created.id)
  await assert.rejects(client.customers.get(created.id), error => error.code === 404)
})

finish()
