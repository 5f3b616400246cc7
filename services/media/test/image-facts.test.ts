import { describe, expect, it } from 'vitest';
import { pixelSize } from '../src/domain/image-facts.js';
import { png } from './images.js';

describe('pixelSize', () => {
  it('reads only the bytes it is given, even when they are a window of a larger buffer', () => {
    const whole = png(64, 48);
    expect(pixelSize(whole, 'image/png')).toEqual({ width: 64, height: 48 });
    // The first 20 bytes end before the height; the buffer behind them holds the rest of the image.
    const window = new Uint8Array(whole.buffer, whole.byteOffset, 20);
    expect(window.buffer.byteLength).toBeGreaterThan(20);
    expect(pixelSize(window, 'image/png')).toBeUndefined();
    expect(pixelSize(whole.subarray(0, 20), 'image/png')).toBeUndefined();
  });
});
