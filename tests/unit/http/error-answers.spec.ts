import { answerFor } from '../../../src/http/error-table';
import { AppendOutcomeUnknown, IdConflict, InvalidEventData, StaleAppend, UnknownEventType, VersionConflict } from '../../../src/event-store/errors';
import { RestoreRefused } from '../../../src/event-store/backup';
import { RuleViolation, UnknownNegotiation } from '../../../src/negotiation/domain/errors';
import { UnknownVersion } from '../../../src/negotiation/reading/errors';
import { ProjectionLagging, RebuildRunning } from '../../../src/projection-runner/errors';
import { UnknownRule } from '../../../src/alerting/alert-rules.commands';
import { SourceExists, UnknownSource } from '../../../src/news/news.commands';
import { OutboundRefused } from '../../../src/outbound/request';
import { InvalidRequest } from '../../../src/shared/domain-error';

/** Each domain error, thrown as the code throws it, answered as the contract says. */
describe('answerFor: the contract\'s error answers, from the errors themselves', () => {
  it.each([
    [new InvalidRequest([{ path: ['events', 0, 'type'], message: 'Required' }]), 400, { error: 'invalid_request', issues: [{ path: ['events', 0, 'type'], message: 'Required' }] }],
    [new InvalidEventData('PositionStated', 2, [{ path: ['data', 'value'], message: 'Too big' }]), 400, { error: 'invalid_request', issues: [{ path: ['events', 2, 'data', 'value'], message: 'Too big' }] }],
    [new UnknownEventType('Nonsense'), 400, { error: 'invalid_request', issues: [{ path: ['type'], message: 'Unknown event type "Nonsense"' }] }],
    [new RuleViolation([{ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['events', 0, 'data', 'party'], message: 'Unknown party "x"' }]), 422, { error: 'rule_violation', issues: [{ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['events', 0, 'data', 'party'], message: 'Unknown party "x"' }] }],
    [new VersionConflict('talks', 3, 5), 409, { error: 'version_conflict', expected: 3, actual: 5 }],
    [new IdConflict('0195d3a0-0000-7000-8000-000000000001'), 409, { error: 'id_conflict', id: '0195d3a0-0000-7000-8000-000000000001' }],
    [new RestoreRefused('Restore needs an empty database'), 409, { error: 'restore_refused' }],
    [new RebuildRunning(), 409, { error: 'rebuild_running' }],
    [new UnknownNegotiation('talks'), 404, { error: 'not_found', message: 'No negotiation "talks"' }],
    [new UnknownVersion('talks', 9, 4), 404, { error: 'not_found' }],
    [new UnknownRule('r1'), 404, { error: 'not_found' }],
    [new UnknownSource('wire'), 404, { error: 'not_found' }],
    [new SourceExists('wire'), 409, { error: 'source_exists' }],
    [new StaleAppend('talks', 7), 503, { error: 'contention' }],
    [new ProjectionLagging(10, 10_000), 503, { error: 'projection_lagging' }],
  ])('%s → %i', (error, status, body) => {
    const answer = answerFor(error)!;
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject(body);
  });

  it('tells a client to retry, and how soon, where a retry will do', () => {
    expect(answerFor(new StaleAppend('talks', 7))!.headers).toEqual({ 'Retry-After': '1' });
    expect(answerFor(new ProjectionLagging(10, 10_000))!.headers).toEqual({ 'Retry-After': '1' });
    expect(answerFor(new RebuildRunning())!.headers).toEqual({ 'Retry-After': '5' });
    const unknown = answerFor(new AppendOutcomeUnknown(new Error('connection lost')))!;
    expect(unknown).toMatchObject({ status: 503, body: { error: 'outcome_unknown' }, headers: { 'Retry-After': '1' } });
    expect(unknown.body.message).toMatch(/may or may not be stored.*same event ids/);
  });

  it('answers nothing for Parley\'s own outbound refusals: those are logged, never a client\'s answer', () => {
    expect(answerFor(new OutboundRefused('internal.example resolves to 10.0.0.1, an internal address the allow-list does not name'))).toBeUndefined();
  });
});
