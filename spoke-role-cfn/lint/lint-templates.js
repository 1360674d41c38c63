'use strict';
// Lints CloudFormation templates with the npm cfn-lint validator, checked against the current CloudFormation
// resource specification from @aws-cdk/cfnspec instead of the 2019 one cfn-lint 1.9.7 bundles (that one knows
// neither AWS::CloudFormation::StackSet nor the Description and Tags of AWS::IAM::Role).
//
//   node lint/lint-templates.js TEMPLATE...                  exit 1 if any template has an error
//   node lint/lint-templates.js --expect-errors TEMPLATE...  exit 1 unless every error a template names in a
//                                                            "# lint-expect: <message>" line is reported
//                                                            (proves the lint can fail, and on what)
//
// A StackSet's literal TemplateBody is linted too, as a template of its own: to cfn-lint it is only a string.

const fs = require('fs');
const os = require('os');
const path = require('path');

const awsData = require('cfn-lint/lib/awsData');
const parser = require('cfn-lint/lib/parser');
const cfnLint = require('cfn-lint/lib/api');
const specification = require('@aws-cdk/cfnspec/spec/specification.json');

awsData.awsResources.ResourceSpecificationVersion = specification.ResourceSpecificationVersion;
awsData.awsResources.ResourceTypes = specification.ResourceTypes;
awsData.awsResources.PropertyTypes = specification.PropertyTypes;

function lint(label, file) {
  let result;
  try {
    result = cfnLint.validateFile(file);
  } catch (e) {
    // cfn-lint throws on YAML it cannot parse
    return [{ label, errors: [`${label}: cannot be read: ${e.message}`] }];
  }
  const errors = result.errors.crit.map((e) => `${label}: ${e.resource}: ${e.message}`);
  for (const w of result.errors.warn) {
    console.log(`warning ${label}: ${w.resource}: ${w.message}`);
  }
  const reports = [{ label, errors }];
  for (const [logicalId, body] of stackSetBodies(file)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
    try {
      const bodyFile = path.join(dir, `${logicalId}.yaml`);
      fs.writeFileSync(bodyFile, body);
      reports.push(...lint(`${label}#${logicalId}.TemplateBody`, bodyFile));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return reports;
}

function stackSetBodies(file) {
  let template;
  try {
    template = parser.openFile(file);
  } catch (e) {
    return [];
  }
  return Object.entries(template.Resources || {})
    .filter(([, r]) => r && r.Type === 'AWS::CloudFormation::StackSet')
    .filter(([, r]) => typeof (r.Properties || {}).TemplateBody === 'string')
    .map(([logicalId, r]) => [logicalId, r.Properties.TemplateBody]);
}

const args = process.argv.slice(2);
const expectErrors = args[0] === '--expect-errors';
const files = expectErrors ? args.slice(1) : args;
if (files.length === 0) {
  console.error('usage: lint-templates.js [--expect-errors] TEMPLATE...');
  process.exit(2);
}

console.log(`cfn-lint ${require('cfn-lint/package.json').version}, resource specification ${specification.ResourceSpecificationVersion}`);
let failed = false;
for (const file of files) {
  const reports = lint(file, file);
  const errors = reports.flatMap((r) => r.errors);
  if (expectErrors) {
    const expected = fs.readFileSync(file, 'utf8').split('\n')
      .map((line) => line.match(/^#\s*lint-expect:\s*(.+?)\s*$/))
      .filter(Boolean)
      .map((m) => m[1]);
    const missed = expected.filter((message) => !errors.some((e) => e.includes(message)));
    if (expected.length === 0 || missed.length > 0) {
      console.error(`${file}: the linter missed ${expected.length === 0 ? 'everything: no lint-expect line' : missed.join('; ')}`);
      errors.forEach((e) => console.error(`  reported: ${e}`));
      failed = true;
    } else {
      console.log(`${file}: rejected as expected with ${errors.length} error(s), including all ${expected.length} expected`);
    }
  } else {
    errors.forEach((e) => console.error(`error ${e}`));
    reports.forEach((r) => console.log(`${r.label}: ${r.errors.length === 0 ? 'valid' : `${r.errors.length} error(s)`}`));
    failed = failed || errors.length > 0;
  }
}
process.exit(failed ? 1 : 0);
