import { Duration } from 'cdk8s';
import { parseGatewayDurationMillis, toGatewayDuration } from '../../src/core/gateway-duration';

describe('Gateway API durations', () => {
  test.each([
    [Duration.seconds(300), '300s'],
    [Duration.millis(1500), '1500ms'],
    [Duration.seconds(0), '0s'],
    // Above 99999 seconds the format needs larger units.
    [Duration.hours(30), '30h'],
    [Duration.millis(100_000_500), '27h46m40s500ms'],
  ])('given %p, then the Gateway API text is %p and parses back to the same duration', (d, text) => {
    expect(toGatewayDuration('route', 'requestTimeout', d)).toBe(text);
    expect(parseGatewayDurationMillis(text)).toBe(d.toMilliseconds());
  });

  test.each(['5 m', '1d', '', '123456s', 's'])('given %p, then parsing fails with the expected format', (text) => {
    expect(() => parseGatewayDurationMillis(text)).toThrow(/is not a Gateway API duration such as 300s or 1h30m/);
  });

  test('given a fraction of a millisecond, then the error names the prop', () => {
    expect(() => toGatewayDuration('route', 'requestTimeout', Duration.millis(1.5))).toThrow(/route: 'requestTimeout' must be a whole number of milliseconds/);
  });
});
