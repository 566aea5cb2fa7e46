// Publishes one message to an agency's inbound exchange, as any AMQP 0-9-1 client would.
// usage: node publish.js <amqp-url> <exchange> <type> <file> <message-id> <user-id>
const fs = require('fs');
const amqp = require('amqplib');

async function main() {
  const [url, exchange, type, file, messageId, userId] = process.argv.slice(2);
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  const body = fs.readFileSync(file);
  channel.publish(exchange, '', body, {
    contentType: 'application/json', type, messageId, userId, persistent: true,
  });
  await channel.waitForConfirms();
  await connection.close();
  console.log(`published ${type} ${messageId}`);
}

main().catch(err => { console.error(err.message); process.exit(1); });
