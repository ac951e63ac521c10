// The CEL fixture checked against the real API server: every object of test/fixtures/cel/widgets.objects.yaml
// carries, in its cel.example.com/verdict annotation, what kube-apiserver answers on a create dry run
// (test/cluster/e2e/differential_test.go asserts it does). Here the project's validator must give the same verdict,
// field and message.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestValidator } from '../../src/validation';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'cel');
const VERDICT = 'cel.example.com/verdict';

const objects: any[] = parseAllDocuments(fs.readFileSync(path.join(FIXTURE, 'widgets.objects.yaml'), 'utf8')).map((d) => d.toJS());
const validator = new ManifestValidator({ crdBundles: [], extraCrdPaths: [path.join(FIXTURE, 'widgets.crd.yaml')] });

describe('the CEL fixture the real API server judged', () => {
  test('it holds accepted and refused objects', () => {
    // Given the fixture, then it has both kinds of verdict (a fixture of one kind would prove little)
    const verdicts = objects.map((o) => o.metadata.annotations[VERDICT]);
    expect(verdicts.filter((v) => v === 'accepted').length).toBeGreaterThan(5);
    expect(verdicts.filter((v) => v !== 'accepted').length).toBeGreaterThan(5);
  });

  test.each(objects.map((o) => [o.metadata.name, o]))('%s gets the API server\'s verdict', (_name, object) => {
    // Given an object and the API server's verdict on it
    const expected = object.metadata.annotations[VERDICT];
    // When the project's validator checks it
    const report = validator.validate([object]);
    // Then it gives the same verdict: no problem, or the failing rule's field and message
    const got = report.problems.map((p) => `${p.field}: ${p.message}`);
    expect(got).toEqual(expected === 'accepted' ? [] : [expected]);
  });
});
