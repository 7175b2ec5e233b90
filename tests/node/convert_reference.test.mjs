// tests/node/convert_reference.test.mjs: the core's TF.js -> ONNX converter (wasm) against a
// naive NHWC forward pass written here in plain loops, with Keras' semantics. A small random
// ResNet-like model (every layer kind ResNet50 uses, odd sizes, batch-norm statistics far from
// the identity) is converted, run in ONNX Runtime and compared to 1e-4.
// Needs the node build of the core: $SANTA_LENS_WASM_BUILD, default build/wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { loadCore } from '../../tools/cli/core.mjs';

// ---- a seeded model builder ------------------------------------------------------------------

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class ModelBuilder {
  constructor(seed) {
    this.random = mulberry32(seed);
    this.layers = [];
    this.manifest = [];
    this.values = [];
    this.info = new Map(); // name -> {kind, config, inputs, weights: {param: Float32Array}, channels}
  }
  uniform(lo, hi) {
    return lo + (hi - lo) * this.random();
  }
  weight(layer, param, shape, lo, hi) {
    const n = shape.reduce((a, b) => a * b, 1);
    const w = new Float32Array(n).map(() => this.uniform(lo, hi));
    this.manifest.push({ name: `${layer}/${param}`, shape, dtype: 'float32' });
    this.values.push(w);
    this.info.get(layer).weights[param] = w;
  }
  layer(kind, name, config, inputs, channels) {
    this.layers.push({
      name,
      class_name: kind,
      config: { name, ...config },
      inbound_nodes: inputs.length ? [inputs.map((i) => [i, 0, 0, {}])] : [],
    });
    this.info.set(name, { kind, config, inputs, weights: {}, channels: channels ?? this.info.get(inputs[0]).channels });
    return name;
  }
  input(name, h, w, c) {
    return this.layer('InputLayer', name, { batch_input_shape: [null, h, w, c], dtype: 'float32' }, [], c);
  }
  zeroPad(name, x, p) {
    return this.layer(
      'ZeroPadding2D',
      name,
      {
        padding: [
          [p, p],
          [p, p],
        ],
        data_format: 'channels_last',
      },
      [x],
    );
  }
  conv(name, x, filters, k, s, padding) {
    const cin = this.info.get(x).channels;
    this.layer(
      'Conv2D',
      name,
      {
        filters,
        kernel_size: [k, k],
        strides: [s, s],
        padding,
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: 'linear',
        use_bias: true,
      },
      [x],
      filters,
    );
    const bound = Math.sqrt(6 / (k * k * cin));
    this.weight(name, 'kernel', [k, k, cin, filters], -bound, bound);
    this.weight(name, 'bias', [filters], -0.3, 0.3);
    return name;
  }
  // Statistics far from the identity: variances 0.05 to 60, means off zero (bn_conv1's variance
  // reaches 83,614 in the real model).
  bn(name, x) {
    const c = this.info.get(x).channels;
    this.layer('BatchNormalization', name, { axis: [3], momentum: 0.99, epsilon: 0.001, center: true, scale: true }, [x]);
    this.weight(name, 'gamma', [c], 0.5, 2);
    this.weight(name, 'beta', [c], -1, 1);
    this.weight(name, 'moving_mean', [c], -1.5, 1.5);
    this.weight(name, 'moving_variance', [c], 0.05, 60);
    return name;
  }
  relu(name, x) {
    return this.layer('Activation', name, { activation: 'relu' }, [x]);
  }
  maxPool(name, x, k, s) {
    return this.layer(
      'MaxPooling2D',
      name,
      { pool_size: [k, k], strides: [s, s], padding: 'valid', data_format: 'channels_last' },
      [x],
    );
  }
  add(name, xs) {
    return this.layer('Add', name, {}, xs);
  }
  gap(name, x) {
    return this.layer('GlobalAveragePooling2D', name, { data_format: 'channels_last' }, [x]);
  }
  dense(name, x, units, activation) {
    const cin = this.info.get(x).channels;
    this.layer('Dense', name, { units, activation, use_bias: true }, [x], units);
    this.weight(name, 'kernel', [cin, units], -0.5, 0.5);
    this.weight(name, 'bias', [units], -0.2, 0.2);
    return name;
  }
  modelJson(output) {
    return JSON.stringify({
      format: 'layers-model',
      modelTopology: {
        keras_version: '2.2.4-tf',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Model',
          config: {
            name: 'tiny_resnet',
            layers: this.layers,
            input_layers: [[this.layers[0].name, 0, 0]],
            output_layers: [[output, 0, 0]],
          },
        },
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: this.manifest }],
    });
  }
  weights() {
    const all = new Float32Array(this.values.reduce((n, v) => n + v.length, 0));
    let at = 0;
    for (const v of this.values) {
      all.set(v, at);
      at += v.length;
    }
    return new Uint8Array(all.buffer);
  }
}

// A ResNet50 in miniature on 37x37x3: stem, a projection block with a stride-2 'same' 3x3 on an
// even size (asymmetric padding), an identity block, pooling and a softmax classifier.
function tinyResnet(seed = 2024) {
  const m = new ModelBuilder(seed);
  let x = m.input('input_1', 37, 37, 3);
  x = m.relu('act1', m.bn('bn_conv1', m.conv('conv1', m.zeroPad('conv1_pad', x, 3), 8, 7, 2, 'valid')));
  x = m.maxPool('max_pooling2d', m.zeroPad('pool1_pad', x, 1), 3, 2); // 10x10x8
  let a = m.relu('act2a', m.bn('bn2a', m.conv('res2a', x, 6, 3, 2, 'same'))); // 5x5
  a = m.relu('act2b', m.bn('bn2b', m.conv('res2b', a, 6, 3, 1, 'same')));
  a = m.bn('bn2c', m.conv('res2c', a, 12, 1, 1, 'valid'));
  const shortcut = m.bn('bn1', m.conv('res1', x, 12, 1, 2, 'valid'));
  x = m.relu('act3', m.add('add', [a, shortcut]));
  let b = m.relu('act3a', m.bn('bn3a', m.conv('res3a', x, 6, 1, 1, 'valid')));
  b = m.relu('act3b', m.bn('bn3b', m.conv('res3b', b, 6, 3, 1, 'same')));
  b = m.bn('bn3c', m.conv('res3c', b, 12, 1, 1, 'valid'));
  x = m.relu('act4', m.add('add_1', [b, x]));
  const out = m.dense('fc5', m.gap('avg_pool', x), 5, 'softmax');
  return { m, out };
}

// ---- the reference forward pass: NHWC, float64, Keras semantics -----------------------------

const act = {
  linear: (v) => v,
  relu: (v) => v.map((x) => Math.max(x, 0)),
  sigmoid: (v) => v.map((x) => 1 / (1 + Math.exp(-x))),
  softmax: (v, c) => {
    // over the last axis (channels)
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i += c) {
      let max = -Infinity,
        sum = 0;
      for (let j = 0; j < c; ++j) max = Math.max(max, v[i + j]);
      for (let j = 0; j < c; ++j) sum += out[i + j] = Math.exp(v[i + j] - max);
      for (let j = 0; j < c; ++j) out[i + j] /= sum;
    }
    return out;
  },
};

// TensorFlow's 'same': out = ceil(in / s), padding total max((out - 1) s + k - in, 0), odd pixel at the end.
function windowGeometry(size, k, s, padding) {
  if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

function forwardLayer(info, t, ins) {
  const { kind, config: c, weights: w } = info;
  const x = ins[0];
  switch (kind) {
    case 'ZeroPadding2D': {
      const [[top, bottom], [left, right]] = c.padding;
      const h = x.h + top + bottom,
        wd = x.w + left + right;
      const d = new Float64Array(h * wd * x.c);
      for (let y = 0; y < x.h; ++y)
        for (let xx = 0; xx < x.w; ++xx)
          for (let ch = 0; ch < x.c; ++ch) d[((y + top) * wd + xx + left) * x.c + ch] = x.d[(y * x.w + xx) * x.c + ch];
      return { h, w: wd, c: x.c, d };
    }
    case 'Conv2D':
    case 'MaxPooling2D': {
      const conv = kind === 'Conv2D';
      const [kh, kw] = conv ? c.kernel_size : c.pool_size;
      const [sh, sw] = c.strides;
      const gy = windowGeometry(x.h, kh, sh, c.padding),
        gx = windowGeometry(x.w, kw, sw, c.padding);
      const co = conv ? c.filters : x.c;
      const d = new Float64Array(gy.out * gx.out * co);
      for (let oy = 0; oy < gy.out; ++oy)
        for (let ox = 0; ox < gx.out; ++ox)
          for (let o = 0; o < co; ++o) {
            let v = conv ? w.bias[o] : -Infinity;
            for (let ky = 0; ky < kh; ++ky)
              for (let kx = 0; kx < kw; ++kx) {
                const iy = oy * sh + ky - gy.before,
                  ix = ox * sw + kx - gx.before;
                if (iy < 0 || ix < 0 || iy >= x.h || ix >= x.w) continue; // 'same' padding
                if (!conv) {
                  v = Math.max(v, x.d[(iy * x.w + ix) * x.c + o]);
                  continue;
                }
                for (let i = 0; i < x.c; ++i) v += x.d[(iy * x.w + ix) * x.c + i] * w.kernel[((ky * kw + kx) * x.c + i) * co + o];
              }
            d[(oy * gx.out + ox) * co + o] = v;
          }
      return { h: gy.out, w: gx.out, c: co, d: conv ? act[c.activation](d, co) : d };
    }
    case 'BatchNormalization':
      return {
        ...x,
        d: x.d.map((v, i) => {
          const ch = i % x.c;
          return ((v - w.moving_mean[ch]) / Math.sqrt(w.moving_variance[ch] + c.epsilon)) * w.gamma[ch] + w.beta[ch];
        }),
      };
    case 'Activation':
      return { ...x, d: act[c.activation](x.d, x.c) };
    case 'Add':
      return { ...x, d: x.d.map((v, i) => ins.reduce((s, t2, j) => (j ? s + t2.d[i] : s), v)) };
    case 'GlobalAveragePooling2D': {
      const d = new Float64Array(x.c);
      for (let i = 0; i < x.h * x.w; ++i) for (let ch = 0; ch < x.c; ++ch) d[ch] += x.d[i * x.c + ch] / (x.h * x.w);
      return { h: 1, w: 1, c: x.c, d };
    }
    case 'Dense':
      return denseForward(x, c.units, w.kernel, w.bias, c.activation);
    default:
      throw new Error(`reference: no ${kind}`);
  }
}

function denseForward(x, units, kernel, bias, activation) {
  const d = new Float64Array(units);
  for (let o = 0; o < units; ++o) {
    let v = bias ? bias[o] : 0;
    for (let i = 0; i < x.c; ++i) v += x.d[i] * kernel[i * units + o];
    d[o] = v;
  }
  return { h: 1, w: 1, c: units, d: act[activation](d, units) };
}

// One image (NHWC, Float64Array) through the model up to layer `output`.
function reference(m, image, output) {
  const values = new Map();
  for (const [name, info] of m.info) {
    values.set(
      name,
      info.kind === 'InputLayer'
        ? { h: info.config.batch_input_shape[1], w: info.config.batch_input_shape[2], c: 3, d: image }
        : forwardLayer(
            info,
            values,
            info.inputs.map((i) => values.get(i)),
          ),
    );
    if (name === output) return values.get(name);
  }
  throw new Error(`no layer ${output}`);
}

// ---- the comparison --------------------------------------------------------------------------

const H = 37,
  W = 37,
  BATCH = 2;

function randomImages(seed) {
  const random = mulberry32(seed);
  // Caffe-like values: pixel minus an ImageNet mean, about -125..130.
  return Array.from({ length: BATCH }, () => Float64Array.from({ length: H * W * 3 }, () => random() * 255 - 120));
}

function toNchw(images) {
  const out = new Float32Array(BATCH * 3 * H * W);
  images.forEach((img, n) => {
    for (let y = 0; y < H; ++y)
      for (let x = 0; x < W; ++x) for (let c = 0; c < 3; ++c) out[((n * 3 + c) * H + y) * W + x] = img[(y * W + x) * 3 + c];
  });
  return out;
}

async function runOnnx(onnx, images, outputName) {
  const session = await ort.InferenceSession.create(onnx);
  const result = await session.run({ input: new ort.Tensor('float32', toNchw(images), [BATCH, 3, H, W]) });
  await session.release();
  return result[outputName];
}

function maxAbsDiff(got, want) {
  assert.equal(got.length, want.length);
  let worst = 0;
  for (let i = 0; i < got.length; ++i) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst;
}

test('the converted model matches the reference forward pass to 1e-4', async () => {
  const core = await loadCore();
  const { m, out } = tinyResnet();
  const r = core.convertTfjsToOnnx(m.modelJson(out), m.weights(), { outputName: 'probabilities' });
  assert.equal(r.error, undefined, r.error);
  // Batch norm folded away, ZeroPadding2D before the conv folded, before the max pool explicit.
  assert.deepEqual(Object.keys(r.description.ops).sort(), [
    'Add',
    'Conv',
    'Flatten',
    'Gemm',
    'GlobalAveragePool',
    'MaxPool',
    'Pad',
    'Relu',
    'Softmax',
  ]);
  assert.equal(r.description.ops.Conv, 8);
  assert.equal(r.description.ops.Pad, 1);

  const images = randomImages(7);
  const got = await runOnnx(r.onnx, images, 'probabilities');
  assert.deepEqual(got.dims, [BATCH, 5]);
  const want = images.flatMap((img) => Array.from(reference(m, img, out).d));
  const diff = maxAbsDiff(got.data, want);
  assert.ok(diff < 1e-4, `max abs diff ${diff}`);
  // Not a degenerate case: the classes differ and both images are not the same answer.
  assert.ok(Math.max(...want) - Math.min(...want) > 0.05, `probabilities too flat: ${want}`);
});

test('cut after avg_pool, with a dense head appended, matches the reference', async () => {
  const core = await loadCore();
  const { m } = tinyResnet(99);
  const random = mulberry32(5);
  const layer = (inputs, units, activation) => ({
    in: inputs,
    out: units,
    activation,
    kernel: Float32Array.from({ length: inputs * units }, () => random() - 0.5),
    bias: Float32Array.from({ length: units }, () => random() - 0.5),
  });
  const head = [layer(12, 7, 'relu'), layer(7, 1, 'sigmoid')];
  const r = core.convertTfjsToOnnx(m.modelJson('fc5'), m.weights(), {
    cutAfter: 'avg_pool',
    head,
    inputName: 'input',
    outputName: 'p_santa',
  });
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.description.ops.Softmax, undefined, 'fc5 is past the cut');
  const images = randomImages(8);
  const got = await runOnnx(r.onnx, images, 'p_santa');
  assert.deepEqual(got.dims, [BATCH, 1]);
  const want = images.map((img) => {
    let x = reference(m, img, 'avg_pool');
    for (const d of head) x = denseForward(x, d.out, d.kernel, d.bias, d.activation);
    return x.d[0];
  });
  const diff = maxAbsDiff(got.data, want);
  assert.ok(diff < 1e-4, `max abs diff ${diff}`);

  // The features alone: relative to their size, as they are not bounded like probabilities.
  const features = core.convertTfjsToOnnx(m.modelJson('fc5'), m.weights(), { cutAfter: 'avg_pool', outputName: 'features' });
  assert.equal(features.error, undefined, features.error);
  const f = await runOnnx(features.onnx, images, 'features');
  assert.deepEqual(f.dims, [BATCH, 12]);
  const fw = images.flatMap((img) => Array.from(reference(m, img, 'avg_pool').d));
  const scale = Math.max(1, ...fw.map(Math.abs));
  assert.ok(maxAbsDiff(f.data, fw) / scale < 1e-4, `features differ by ${maxAbsDiff(f.data, fw)} (scale ${scale})`);
});

test('bad input comes back as {error}, never a throw', async () => {
  const core = await loadCore();
  const { m, out } = tinyResnet();
  const json = m.modelJson(out);
  const weights = m.weights();
  const cases = [
    ['{"format": "layers-model", ', weights, {}, 'not a JSON object'],
    [json, weights.subarray(0, weights.length - 8), {}, 'truncated'],
    [json.replace('"Add"', '"Multiply"'), weights, {}, 'Multiply'],
    [json, weights, { cutAfter: 'nope' }, 'cut_after'],
    [
      json,
      weights,
      { cutAfter: 'avg_pool', head: [{ in: 3, out: 1, kernel: new Float32Array(3), activation: 'sigmoid' }] },
      'takes 3 inputs',
    ],
    [json, weights, { head: 'x' }, 'options.head'],
    [json, weights, { cutAfter: 'avg_pool', head: [{ in: 12, out: 1, kernel: new Float32Array(2) }] }, 'kernel must hold'],
    [
      json,
      weights,
      { cutAfter: 'avg_pool', head: [{ in: 12, out: 1, kernel: new Float32Array(12), activation: 'tanh' }] },
      'tanh',
    ],
    [json, weights, { outputName: 7 }, 'must be strings'],
    [json, 'not bytes', {}, 'Uint8Array'],
  ];
  for (const [text, bytes, options, message] of cases) {
    const r = core.convertTfjsToOnnx(text, bytes, options);
    assert.equal(r.onnx, undefined);
    assert.match(r.error, new RegExp(message), `${message}: got ${r.error}`);
  }
});
