#include <cctype>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>

#include "scalesim/core/checked.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/model/params.hpp"

#include "cli/cli.hpp"

namespace scalesim::cli {
namespace {

// The exact parameter count must fit in int64 (model::CountParameters):
// checked here so that the error names where the model came from
// ("config.json: parameters of llama: count overflows a 64-bit integer").
void CheckCountable(const model::Architecture& a, const std::string& source) {
  try {
    model::CountParameters(a, source);
  } catch (const InvalidInput& e) {
    if (!e.where().source.empty()) throw;
    throw InvalidInput(InputLocation{source, 0, ""}, e.what());
  }
}

// Whether `arg` contains "%name%" with name of letters and underscores.
bool HasPlaceholder(const std::string& arg) {
  for (std::size_t open = arg.find('%'); open != std::string::npos;
       open = arg.find('%', open + 1)) {
    std::size_t i = open + 1;
    while (i < arg.size() &&
           (std::isalpha(static_cast<unsigned char>(arg[i])) != 0 ||
            arg[i] == '_')) {
      ++i;
    }
    if (i > open + 1 && i < arg.size() && arg[i] == '%') return true;
  }
  return false;
}

}  // namespace

bool ParseOptions(const Args& args,
                  const po::options_description& options,
                  const CommandHelp& help,
                  po::variables_map& vm,
                  std::ostream& out) {
  po::options_description all = options;
  all.add_options()("help,h", "show this help");
  // Boost.Program_options substitutes %name% placeholders in its error
  // messages in a loop that never ends when an argument itself contains one
  // (found by fuzzing); no scalesim argument needs such text.
  for (const std::string& arg : args) {
    if (HasPlaceholder(arg)) {
      throw InvalidInput(InputLocation{"command line", 0, ""},
                         "argument '" + arg + "' contains a %...% placeholder");
    }
  }
  try {
    // No abbreviated long options: "--ou" must not silently mean --out.
    const int style = po::command_line_style::default_style &
                      ~po::command_line_style::allow_guessing;
    const po::parsed_options parsed =
        po::command_line_parser(args).options(all).style(style).run();
    for (const po::option& o : parsed.options) {
      // Boost keeps a stray word ("scalesim plan 1e24") as a positional
      // option and store() then drops it silently; no subcommand takes one.
      if (o.string_key.empty()) {
        throw InvalidInput(
            InputLocation{"command line", 0, ""},
            "unexpected argument '" +
                (o.original_tokens.empty() ? std::string()
                                           : o.original_tokens.front()) +
                "' (every value follows its --flag; see scalesim " + help.name +
                " --help)");
      }
      // lexical_cast reads "-1" as 2^64 - 1 for an unsigned option (--seed).
      const po::option_description* d = all.find_nothrow(o.string_key, false);
      if (d != nullptr && dynamic_cast<const po::typed_value<std::uint64_t>*>(
                              d->semantic().get()) != nullptr) {
        for (const std::string& v : o.value) {
          if (v.find('-') != std::string::npos) {
            throw InvalidInput(
                InputLocation{"command line", 0, "--" + o.string_key},
                "must be a non-negative integer, got " + v);
          }
        }
      }
    }
    po::store(parsed, vm);
    if (vm.count("help") != 0U) {
      out << "scalesim " << help.name << ": " << help.summary << "\n\n"
          << "Usage: " << help.usage << "\n\n"
          << all << "\nExamples:\n";
      for (const std::string& e : help.examples) out << "  " << e << '\n';
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InvalidInput(
        InputLocation{"command line", 0, ""},
        std::string(e.what()) + " (see scalesim " + help.name + " --help)");
  }
  return true;
}

void AddOutputOptions(po::options_description& options) {
  options.add_options()("format",
                        po::value<std::string>()->default_value("table"),
                        "output format: table, csv, json or markdown")(
      "out,o",
      po::value<std::string>(),
      "write the output to FILE (atomically) instead of stdout");
}

void EmitReport(const io::Report& report,
                const po::variables_map& vm,
                std::ostream& out) {
  const io::Format format = io::ParseFormat(vm["format"].as<std::string>());
  if (vm.count("out") != 0U) {
    std::ostringstream buf;
    io::WriteReport(report, format, buf);
    io::WriteFileAtomically(vm["out"].as<std::string>(), buf.str());
    return;
  }
  io::WriteReport(report, format, out);
}

void AddArchitectureOptions(po::options_description& options) {
  options.add_options()("preset",
                        po::value<std::string>(),
                        "built-in model (scalesim params --list)")(
      "hf-config", po::value<std::string>(), "a Hugging Face config.json")(
      "arch", po::value<std::string>(), "a scalesim architecture JSON file")(
      "layers", po::value<std::int64_t>(), "number of transformer blocks")(
      "d-model", po::value<std::int64_t>(), "residual width")(
      "heads", po::value<std::int64_t>(), "attention heads")(
      "kv-heads", po::value<std::int64_t>(), "key/value heads (GQA; 1 = MQA)")(
      "head-dim",
      po::value<std::int64_t>(),
      "width of one head (default d_model/heads)")(
      "d-ff",
      po::value<std::int64_t>(),
      "MLP hidden width (default 4 d_model)")(
      "vocab", po::value<std::int64_t>(), "vocabulary size")(
      "max-context",
      po::value<std::int64_t>(),
      "the model's maximum context length")(
      "mlp",
      po::value<std::string>(),
      "standard (2 matrices) or gated (3, SwiGLU/GeGLU)")(
      "norm",
      po::value<std::string>(),
      "layernorm, layernorm-nobias, rmsnorm or none")(
      "position",
      po::value<std::string>(),
      "learned, rotary, alibi, relative or none")(
      "max-positions",
      po::value<std::int64_t>(),
      "rows of a learned position table")(
      "bias", po::value<std::string>(), "none, all (q,k,v,o,mlp) or qkv")(
      "tied",
      po::value<bool>(),
      "tie the LM head to the token embedding (true/false)")(
      "experts", po::value<std::int64_t>(), "MoE: routed experts per layer")(
      "experts-per-token",
      po::value<std::int64_t>(),
      "MoE: top-k routed experts")("shared-experts",
                                   po::value<std::int64_t>(),
                                   "MoE: always-active experts")(
      "expert-d-ff",
      po::value<std::int64_t>(),
      "MoE: hidden width of one expert")(
      "first-dense-layers",
      po::value<std::int64_t>(),
      "MoE: leading layers with a dense MLP");
}

bool HasArchitecture(const po::variables_map& vm) {
  for (const char* k : {"preset", "hf-config", "arch", "layers", "d-model"}) {
    if (vm.count(k) != 0U) return true;
  }
  return false;
}

model::Architecture ArchitectureFromOptions(const po::variables_map& vm,
                                            std::vector<std::string>& notes) {
  const int sources = static_cast<int>(
      vm.count("preset") + vm.count("hf-config") + vm.count("arch"));
  if (sources > 1) {
    throw InvalidInput(InputLocation{"command line", 0, "--preset"},
                       "give at most one of --preset, --hf-config and --arch");
  }
  model::Architecture a;
  std::string source = "command line";
  bool from_flags = false;
  if (vm.count("preset") != 0U) {
    const std::string name = vm["preset"].as<std::string>();
    a = io::LoadPreset(name);
    notes.push_back("preset " + name + ": " + io::PresetInfoFor(name).source);
  } else if (vm.count("hf-config") != 0U) {
    source = vm["hf-config"].as<std::string>();
    a = io::ArchitectureFromHfConfig(io::ReadTextFile(source), source);
    notes.push_back("Hugging Face config " + source + " (model_type " + a.name +
                    ")");
  } else if (vm.count("arch") != 0U) {
    source = vm["arch"].as<std::string>();
    a = io::ArchitectureFromJson(io::ReadTextFile(source), source);
  } else {
    from_flags = true;
    for (const char* k : {"layers", "d-model", "heads", "vocab"}) {
      if (vm.count(k) == 0U) {
        throw InvalidInput(
            InputLocation{"command line", 0, std::string("--") + k},
            "missing: give --preset, --hf-config, --arch or the flags "
            "--layers --d-model --heads --vocab");
      }
    }
    a.name = "custom";
  }
  auto int_flag = [&](const char* flag, std::int64_t& field) {
    if (vm.count(flag) != 0U) field = vm[flag].as<std::int64_t>();
  };
  int_flag("layers", a.n_layers);
  int_flag("d-model", a.d_model);
  int_flag("heads", a.n_heads);
  int_flag("kv-heads", a.n_kv_heads);
  int_flag("head-dim", a.head_dim);
  int_flag("d-ff", a.d_ff);
  int_flag("vocab", a.vocab_size);
  int_flag("max-context", a.context_length);
  int_flag("max-positions", a.max_positions);
  int_flag("experts", a.moe.num_experts);
  int_flag("experts-per-token", a.moe.experts_per_token);
  int_flag("shared-experts", a.moe.shared_experts);
  int_flag("expert-d-ff", a.moe.expert_d_ff);
  int_flag("first-dense-layers", a.moe.first_dense_layers);
  auto wrap = [](const char* flag, auto parse, const std::string& text) {
    try {
      return parse(text);
    } catch (const InvalidInput& e) {
      throw InvalidInput(
          InputLocation{"command line", 0, std::string("--") + flag},
          "unknown value '" + text + "'");
    }
  };
  if (vm.count("mlp") != 0U)
    a.mlp = wrap("mlp", model::ParseMlpKind, vm["mlp"].as<std::string>());
  if (vm.count("norm") != 0U)
    a.norm = wrap("norm", model::ParseNormKind, vm["norm"].as<std::string>());
  if (vm.count("position") != 0U) {
    a.position = wrap(
        "position", model::ParsePositionKind, vm["position"].as<std::string>());
  }
  if (vm.count("bias") != 0U) {
    const std::string b = vm["bias"].as<std::string>();
    if (b == "none") {
      a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = false;
    } else if (b == "all") {
      a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
    } else if (b == "qkv") {
      a.q_bias = a.k_bias = a.v_bias = true;
      a.o_bias = a.mlp_bias = false;
    } else {
      throw InvalidInput(InputLocation{"command line", 0, "--bias"},
                         "unknown value '" + b + "' (valid: none, all, qkv)");
    }
  }
  if (vm.count("tied") != 0U) a.tied_embeddings = vm["tied"].as<bool>();
  if (from_flags) {
    if (vm.count("d-ff") == 0U && a.d_model > 0) {
      a.d_ff =
          CheckedMul(4,
                     a.d_model,
                     "--d-model: d_ff = 4 * d_model");  // no UB on huge widths
      notes.push_back("d_ff not given: 4 * d_model");
    }
    if (a.moe.num_experts > 0 && a.moe.expert_d_ff == 0)
      a.moe.expert_d_ff = a.d_ff;
    notes.push_back(std::string("architecture from flags: mlp ") +
                    std::string(model::ToString(a.mlp)) + ", norm " +
                    std::string(model::ToString(a.norm)) + ", position " +
                    std::string(model::ToString(a.position)) + ", " +
                    (a.tied_embeddings ? "tied" : "untied") + " LM head");
  }
  if (!from_flags && source != "command line") {
    model::Validate(a, source);
    CheckCountable(a, source);
    return a;
  }
  try {
    model::Validate(a, source);
  } catch (const InvalidInput& e) {
    // Name the flag the user typed rather than the struct field.
    static const std::pair<const char*, const char*> kFlagOf[] = {
        {"n_layers", "--layers"},
        {"d_model", "--d-model"},
        {"n_heads", "--heads"},
        {"n_kv_heads", "--kv-heads"},
        {"head_dim", "--head-dim"},
        {"d_ff", "--d-ff"},
        {"vocab_size", "--vocab"},
        {"context_length", "--max-context"},
        {"max_positions", "--max-positions"},
        {"moe.num_experts", "--experts"},
        {"moe.experts_per_token", "--experts-per-token"},
        {"moe.shared_experts", "--shared-experts"},
        {"moe.expert_d_ff", "--expert-d-ff"},
        {"moe.first_dense_layers", "--first-dense-layers"}};
    for (const auto& [field, flag] : kFlagOf) {
      if (e.where().field == field) {
        const std::string what = e.what();
        const std::string prefix = FormatLocation(e.where()) + ": ";
        throw InvalidInput(InputLocation{"command line", 0, flag},
                           what.substr(prefix.size()));
      }
    }
    throw;
  }
  CheckCountable(a, source);
  return a;
}

}  // namespace scalesim::cli
