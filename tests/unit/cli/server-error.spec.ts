import { serverError } from '../../../src/cli/context';

describe('serverError', () => {
  it('given a 400 with issues, then one line names each field and reason', () => {
    expect(serverError(400, { error: 'invalid_request', issues: [{ path: ['at'], message: 'Expected a date' }, { path: [], message: 'x', line: 3 }] }).message).toBe(
      'the server answered 400 (invalid_request): at: Expected a date; line 3: : x',
    );
  });

  it('given 401 or 403, then it says which key to set', () => {
    expect(serverError(401, {}).message).toContain('set PARLEY_API_KEY');
    expect(serverError(403, {}).message).toContain('role is too weak');
  });

  it('given a text body, then its JSON message, else the text itself', () => {
    expect(serverError(409, '{"error":"rebuild_running","message":"A rebuild is running"}').message).toBe('the server answered 409 (rebuild_running): A rebuild is running');
    expect(serverError(502, 'Bad Gateway').message).toBe('the server answered 502: Bad Gateway');
  });
});
