// What every SDK check shares: Voucherify's official SDK client pointed at Bestow by base URL and keys only, a run
// id that keeps one run's data apart from another's, and named steps that report and never stop the script.
import voucherify from '@voucherify/sdk'

const { VoucherifyServerSide } = voucherify

export const client = VoucherifyServerSide({
  applicationId: process.env.BESTOW_APP_ID,
  secretKey: process.env.BESTOW_APP_TOKEN,
  apiUrl: process.env.BESTOW_URL,
})

export const run = `sdk-${Date.now()}`

export const step = async (name, fn) => {
  try {
    await fn()
    console.log(`ok   ${name}`)
  } catch (error) {
    console.log(`FAIL ${name}: ${error.stack ?? error}`)
    if (error.body) console.log(JSON.stringify(error.body))
    process.exitCode = 1
  }
}

export const finish = () => console.log(process.exitCode ? 'Voucherify SDK check failed' : 'Voucherify SDK check passed')
