#!/usr/bin/env python3
"""bench/float_variants.py: float graphs made from an 8-bit model (the QDQ one or the one with
only its weights in 8 bits), for speed runs on a machine that is sent only the small 8-bit model
(27 MB; the fp32 model is 94 MB) and makes the float graphs there.

    python3 bench/float_variants.py assets/santa_resnet50_w8.onnx OUTDIR
      -> OUTDIR/fp32.onnx: the float graph with the 8-bit weights dequantized
      -> OUTDIR/fp16.onnx: the same in half precision (a Cast at the input and at each output)

Every DequantizeLinear of a weight becomes a float initializer; every QuantizeLinear/
DequantizeLinear pair on an activation goes, and where its range starts at 0 (an unsigned zero
point of 0: the 8-bit graph's ReLU) a Relu takes its place. The result computes what the fp32
model computes, with the 8-bit weights: the same operators on the same shapes, so the same time.
Needs the onnx and numpy packages.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def dequantized(x, scale, zero_point, axis):
    x = x.astype(np.float32)
    zero_point = zero_point.astype(np.float32)
    if scale.ndim == 1 and x.ndim > 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale, zero_point = scale.reshape(shape), zero_point.reshape(shape)
    return ((x - zero_point) * scale).astype(np.float32)


def float_graph(model):
    g = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    rename = {}      # a DequantizeLinear's output -> the float value it stands for
    relu_after = {}  # float value -> its Relu output name
    new_inits = []
    nodes = []
    for n in g.node:
        if n.op_type == 'DequantizeLinear' and n.input[0] in inits:
            axis = next((a.i for a in n.attribute if a.name == 'axis'), 1)
            w = dequantized(inits[n.input[0]], inits[n.input[1]], inits[n.input[2]], axis)
            new_inits.append(numpy_helper.from_array(w, n.output[0]))
        elif n.op_type == 'DequantizeLinear':
            q = producer[n.input[0]]
            assert q.op_type == 'QuantizeLinear', f'{n.name}: not a Q/DQ pair'
            zero_point = inits[q.input[2]]
            if zero_point.dtype == np.uint8 and not zero_point.any():
                relu = q.input[0] + '/relu'
                if q.input[0] not in relu_after:
                    relu_after[q.input[0]] = relu
                    nodes.append(helper.make_node('Relu', [q.input[0]], [relu]))
                rename[n.output[0]] = relu
            else:
                rename[n.output[0]] = q.input[0]
        elif n.op_type != 'QuantizeLinear':
            nodes.append(n)
    for n in nodes:
        for i, name in enumerate(n.input):
            n.input[i] = rename.get(name, name)
    for o in g.output:  # an output read after its Q/DQ pair (the stage-4 features) keeps its name
        if o.name in rename:
            nodes.append(helper.make_node('Identity', [rename[o.name]], [o.name]))
    used = {i for n in nodes for i in n.input}
    kept = [i for i in g.initializer if i.name in used and i.name not in {x.name for x in new_inits}]
    out = helper.make_graph(nodes, g.name, g.input, g.output, kept + [i for i in new_inits if i.name in used])
    return with_output_shapes(helper.make_model(out, opset_imports=model.opset_import, ir_version=model.ir_version))


def with_output_shapes(model):
    """The converter declares its extra outputs (the stage-4 features) without a shape, which the
    checker refuses: shape inference gives them one."""
    inferred = onnx.shape_inference.infer_shapes(model).graph
    shapes = {v.name: v for v in list(inferred.value_info) + list(inferred.output)}
    for o in model.graph.output:
        if not o.type.tensor_type.HasField('shape') and o.name in shapes:
            o.type.tensor_type.shape.CopyFrom(shapes[o.name].type.tensor_type.shape)
    return model


def half_graph(model):
    g = model.graph
    inits = []
    for i in g.initializer:
        a = numpy_helper.to_array(i)
        inits.append(numpy_helper.from_array(a.astype(np.float16), i.name) if a.dtype == np.float32 else i)
    x = g.input[0].name
    outputs = {o.name for o in g.output}
    nodes = [helper.make_node('Cast', [x], [x + '/f16'], to=TensorProto.FLOAT16)]
    for n in g.node:
        n = onnx.NodeProto.FromString(n.SerializeToString())
        for i, name in enumerate(n.input):
            if name == x:
                n.input[i] = x + '/f16'
            elif name in outputs:
                n.input[i] = name + '/f16'
        for i, name in enumerate(n.output):
            if name in outputs:
                n.output[i] = name + '/f16'
        nodes.append(n)
    nodes += [helper.make_node('Cast', [y + '/f16'], [y], to=TensorProto.FLOAT) for y in sorted(outputs)]
    out = helper.make_graph(nodes, g.name, g.input, g.output, inits)
    return helper.make_model(out, opset_imports=model.opset_import, ir_version=model.ir_version)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: float_variants.py MODEL_8BIT.onnx OUTDIR')
    model = onnx.load(sys.argv[1])
    fp32 = float_graph(model)
    onnx.checker.check_model(fp32)
    onnx.save(fp32, f'{sys.argv[2]}/fp32.onnx')
    fp16 = half_graph(fp32)
    onnx.checker.check_model(fp16)
    onnx.save(fp16, f'{sys.argv[2]}/fp16.onnx')


if __name__ == '__main__':
    main()
