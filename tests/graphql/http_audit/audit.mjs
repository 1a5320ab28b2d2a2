// The graphql-http audit of a running server: node audit.mjs URL
// Prints one JSON line: the number of audits by status, and each warning or error.
import { auditServer } from 'graphql-http';

const results = await auditServer({ url: process.argv[2] });
const counts = {};
const problems = [];
for (const result of results) {
  counts[result.status] = (counts[result.status] || 0) + 1;
  if (result.status === 'warn' || result.status === 'error') {
    problems.push({ id: result.id, status: result.status, name: result.name, reason: result.reason });
  }
}
console.log(JSON.stringify({ counts, problems }));
