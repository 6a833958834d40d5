namespace TorchBinding;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of every layer and model, as PyTorch's <c>nn.Module</c>: named parameters, buffers and
        /// sub-modules (registered explicitly), training/evaluation mode, state dicts with dotted
        /// names ("encoder.block1.conv.weight"), device moves. Disposing a module frees its
        /// parameters, buffers and sub-modules.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<(string Name, Parameter? Value)> ownParameters = [];
            private readonly List<(string Name, Tensor Value, bool Persistent)> ownBuffers = [];
            private readonly List<(string Name, Module Value)> ownChildren = [];
            private bool disposed;

            /// <summary>Creates a module; <paramref name="name"/> is its type name for messages.</summary>
            protected Module(string name) => Name = name;

            /// <summary>The module's type name.</summary>
            public string Name { get; }

            /// <summary>Whether the module is in training mode (dropout active, batch statistics used).</summary>
            public bool training { get; private set; } = true;

            /// <summary>Registers a sub-module under <paramref name="name"/> and returns it.</summary>
            protected T register_module<T>(string name, T module) where T : Module
            {
                CheckName(name);
                ownChildren.Add((name, module));
                return module;
            }

            /// <summary>Registers a parameter (null for an absent one, such as a disabled bias) and returns it.</summary>
            protected Parameter? register_parameter(string name, Parameter? parameter)
            {
                CheckName(name);
                ownParameters.Add((name, parameter));
                return parameter;
            }

            /// <summary>Registers a buffer (state that is not learned, e.g. BatchNorm running statistics) and returns it.</summary>
            protected Tensor register_buffer(string name, Tensor buffer, bool persistent = true)
            {
                CheckName(name);
                buffer.DetachFromDisposeScope();
                ownBuffers.Add((name, buffer, persistent));
                return buffer;
            }

            private void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"'{name}' is not a valid member name (non-empty, no dots)", nameof(name));
                if (ownParameters.Exists(p => p.Name == name) || ownBuffers.Exists(b => b.Name == name) || ownChildren.Exists(c => c.Name == name))
                    throw new ArgumentException($"{Name} already has a member named '{name}'", nameof(name));
            }

            /// <summary>Direct sub-modules with their names.</summary>
            public IEnumerable<(string name, Module module)> named_children() => ownChildren.Select(c => (c.Name, c.Value));

            /// <summary>This module and all descendants with dotted names ("" for this one).</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (childName, child) in ownChildren)
                    foreach (var (name, module) in child.named_modules())
                        yield return (name.Length == 0 ? childName : childName + "." + name, module);
            }

            /// <summary>Parameters with dotted names, this module's first, then each child's in registration order.</summary>
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (name, p) in ownParameters)
                    if (p is not null) yield return (name, p);
                if (!recurse) yield break;
                foreach (var (childName, child) in ownChildren)
                    foreach (var (name, p) in child.named_parameters())
                        yield return (childName + "." + name, p);
            }

            /// <summary>All parameters, in the order of <see cref="named_parameters"/>.</summary>
            public IEnumerable<Parameter> parameters() => named_parameters().Select(p => p.parameter);

            /// <summary>Buffers with dotted names.</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool persistentOnly = false)
            {
                foreach (var (name, b, persistent) in ownBuffers)
                    if (persistent || !persistentOnly) yield return (name, b);
                foreach (var (childName, child) in ownChildren)
                    foreach (var (name, b) in child.named_buffers(persistentOnly))
                        yield return (childName + "." + name, b);
            }

            /// <summary>Total number of parameter elements.</summary>
            public long parameter_count() => named_parameters().Sum(p => p.parameter.numel());

            /// <summary>Sets training mode on this module and all descendants; returns this.</summary>
            public Module train(bool on = true)
            {
                foreach (var (_, m) in named_modules()) m.training = on;
                return this;
            }

            /// <summary>Sets evaluation mode; returns this.</summary>
            public Module eval() => train(false);

            /// <summary>Drops (or zeroes) the gradients of all parameters.</summary>
            public void zero_grad(bool set_to_none = true) => optim.Optimizer.ZeroGrad(parameters().ToList(), set_to_none);

            /// <summary>
            /// Parameters and persistent buffers by dotted name. The tensors are the module's own (not copies):
            /// do not dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (name, p) in named_parameters()) state[name] = p;
                foreach (var (name, b) in named_buffers(persistentOnly: true)) state[name] = b;
                return state;
            }

            /// <summary>
            /// Copies values into the module's parameters and buffers. Names, shapes and dtypes are checked
            /// first and every mismatch is reported together, before anything is changed.
            /// </summary>
            /// <returns>Names in <paramref name="state"/> the module does not have (non-strict mode) and names the module has that were missing.</returns>
            public (IReadOnlyList<string> unexpected, IReadOnlyList<string> missing) load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
            {
                var own = state_dict();
                var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
                var missing = own.Keys.Where(k => !state.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
                var problems = new List<string>();
                if (strict)
                {
                    problems.AddRange(unexpected.Select(k => $"unexpected entry '{k}'"));
                    problems.AddRange(missing.Select(k => $"missing entry '{k}'"));
                }
                foreach (var (name, target) in own)
                {
                    if (!state.TryGetValue(name, out var source)) continue;
                    var ts = target.shape;
                    var ss = source.shape;
                    if (!ts.SequenceEqual(ss))
                        problems.Add($"'{name}' has shape [{string.Join(", ", ss)}] but {Name} expects [{string.Join(", ", ts)}]");
                    else if (target.dtype != source.dtype)
                        problems.Add($"'{name}' has dtype {source.dtype} but {Name} expects {target.dtype}");
                }
                if (problems.Count > 0)
                    throw new ArgumentException($"state dict does not fit {Name}: " + string.Join("; ", problems));
                using (no_grad())
                    foreach (var (name, target) in own)
                        if (state.TryGetValue(name, out var source)) target.copy_(source);
                return (unexpected, missing);
            }

            /// <summary>Moves parameters and buffers to <paramref name="device"/> in place (parameters keep their identity); returns this.</summary>
            public Module to(Device device)
            {
                using var scope = NewDisposeScope();
                using (no_grad())
                {
                    foreach (var (_, p) in named_parameters())
                        if (p.device != device) p.set_data(p.to(device));
                    foreach (var (_, b) in named_buffers())
                        if (b.device != device) b.set_data(b.to(device));
                }
                return this;
            }

            /// <summary>Frees parameters, buffers and sub-modules.</summary>
            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                Dispose(true);
                foreach (var (_, p) in ownParameters) p?.Dispose();
                foreach (var (_, b, _) in ownBuffers) b.Dispose();
                foreach (var (_, c) in ownChildren) c.Dispose();
                GC.SuppressFinalize(this);
            }

            /// <summary>Releases resources a derived module holds beyond its registered members.</summary>
            protected virtual void Dispose(bool disposing) { }

            /// <summary>Type name and parameter count.</summary>
            public override string ToString() => $"{Name} ({parameter_count():N0} parameters)";
        }

        /// <summary>A module with a typed forward function.</summary>
        public abstract class Module<TInput, TOutput> : Module
        {
            /// <summary>Creates the module.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation.</summary>
            public abstract TOutput forward(TInput input);

            /// <summary>Runs <see cref="forward"/> (PyTorch's <c>module(x)</c>).</summary>
            public TOutput call(TInput input) => forward(input);
        }
    }
}
