// The real AI SDK client against a kit's /api/chat: DefaultChatTransport sends the request
// exactly as useChat does, readUIMessageStream parses the stream with the package's own
// parser (a malformed chunk throws). Each user text is one turn; the assistant message of
// each turn goes back in the next request, as useChat sends it.
//
//   node chat.mjs <ai6|ai7> <base url> <user text> [<user text> ...]
//
// Prints {"version", "messages": [final assistant message per turn], "errors": [...]}.
const [pkg, baseUrl, ...texts] = process.argv.slice(2);
if (!pkg || !baseUrl || texts.length === 0) {
  console.error("usage: node chat.mjs <ai6|ai7> <base url> <user text> [<user text> ...]");
  process.exit(2);
}
const ai = await import(pkg);
const { version } = (await import(`${pkg}/package.json`, { with: { type: "json" } })).default;

const transport = new ai.DefaultChatTransport({ api: `${baseUrl}/api/chat` });
const history = [];
const answers = [];
const errors = [];
for (const [turn, text] of texts.entries()) {
  history.push({ id: `user-${turn}`, role: "user", parts: [{ type: "text", text }] });
  const stream = await transport.sendMessages({
    chatId: "chat-1",
    messages: history,
    trigger: "submit-message",
    messageId: undefined,
    abortSignal: undefined,
  });
  let last;
  for await (const message of ai.readUIMessageStream({
    stream,
    onError: (error) => errors.push(String(error?.message ?? error)),
  })) {
    last = message;
  }
  if (!last) {
    errors.push(`turn ${turn}: no message`);
    break;
  }
  answers.push(last);
  history.push(last);
}
console.log(JSON.stringify({ version, messages: answers, errors }));
