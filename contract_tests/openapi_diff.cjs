// Runs openapi-diff (the npm package, through its documented diffSpecs API) over many pairs of OpenAPI
// documents in one Node process, so the breaking-change gate starts Node once however many specs changed.
//
// stdin:  a JSON array of [old document, new document] pairs
// stdout: a JSON array with, for each pair, openapi-diff's outcome or {"error": "..."}
"use strict";

const openapiDiff = require("openapi-diff");

function spec(document, location) {
    return { content: JSON.stringify(document), location, format: "openapi3" };
}

async function main() {
    const chunks = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk);
    }
    const pairs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const outcomes = [];
    for (const [index, [oldDocument, newDocument]] of pairs.entries()) {
        try {
            outcomes.push(
                await openapiDiff.diffSpecs({
                    sourceSpec: spec(oldDocument, `old-${index}.json`),
                    destinationSpec: spec(newDocument, `new-${index}.json`),
                }),
            );
        } catch (error) {
            outcomes.push({ error: String((error && error.message) || error) });
        }
    }
    process.stdout.write(JSON.stringify(outcomes));
}

main().catch((error) => {
    process.stderr.write(`openapi_diff.cjs: ${(error && error.stack) || error}\n`);
    process.exit(2);
});
