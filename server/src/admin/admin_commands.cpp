#include "admin/admin_commands.h"

#include <openssl/crypto.h>

#include <iostream>
#include <memory>

#include "admin/password_prompt.h"
#include "admin/text_table.h"
#include "cli/password_cost_option.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/admin.h"

namespace fieldsync::server::cli {
namespace {

constexpr const char* kAdminPasswordVar = "FIELDSYNC_ADMIN_PASSWORD";
constexpr const char* kUserPasswordVar = "FIELDSYNC_USER_PASSWORD";

struct Options {
  std::string data_dir;
  std::string name, kind, parent;               // unit add
  std::string login, display_name, role, unit;  // user add / disable / reset-password
  std::string device_id;                        // device revoke
  InitOptions init;
};

// Overwrites a password in memory when it goes out of scope.
class Scrubbed {
 public:
  explicit Scrubbed(std::string& secret) : secret_(secret) {}
  ~Scrubbed() { OPENSSL_cleanse(secret_.data(), secret_.size()); }
  Scrubbed(const Scrubbed&) = delete;
  Scrubbed& operator=(const Scrubbed&) = delete;

 private:
  std::string& secret_;
};

std::vector<std::string> model_values(const char* entity, const char* field) {
  return embedded_model().require_entity(entity).field(field)->values;
}

// Runs one command, turning what it throws into a message on stderr and an exit code.
template <typename Action>
void run(AdminConsole& console, int& exit_code, Action action) {
  try {
    action();
    exit_code = 0;
  } catch (const UsageError& e) {
    console.err << "fieldsync-server: " << e.what() << '\n';
    exit_code = 2;
  } catch (const Error& e) {
    console.err << "fieldsync-server: " << e.message() << " [" << to_string(e.domain()) << '/'
                << e.code() << "]\n";
    exit_code = 1;
  } catch (const std::exception& e) {
    console.err << "fieldsync-server: " << e.what() << '\n';
    exit_code = 1;
  }
}

CLI::App* add_data_option(CLI::App* command, Options& options) {
  command->add_option("--data", options.data_dir, "Data directory of the server")
      ->required()
      ->type_name("DIR");
  return command;
}

void add_init(CLI::App& app, int& exit_code, AdminConsole& console) {
  auto options = std::make_shared<Options>();
  auto* init = add_data_option(
      app.add_subcommand("init", "Create the store, a root unit and the first admin user"),
      *options);
  init->add_option("--unit-name", options->init.unit_name, "Name of the root unit")
      ->capture_default_str();
  init->add_option("--unit-kind", options->init.unit_kind, "Kind of the root unit")
      ->capture_default_str()
      ->check(CLI::IsMember({"plant", "bureau"}));
  init->add_option("--admin-login", options->init.admin_login, "Login of the first admin")
      ->capture_default_str();
  add_password_cost_option(init, console.password_iterations);
  init->footer("The admin password is read from FIELDSYNC_ADMIN_PASSWORD, else asked for.");
  init->callback([options, &exit_code, &console] {
    run(console, exit_code, [&] {
      std::string password =
          read_password(kAdminPasswordVar, "admin '" + options->init.admin_login + "'", true);
      const Scrubbed scrub(password);
      InitOptions init_options = options->init;
      init_options.password_iterations = console.password_iterations;
      const InitResult result =
          init_store(options->data_dir, password, init_options, console.clock, console.random);
      console.out << "initialised " << result.store.string() << '\n'
                  << "root unit  " << init_options.unit_name << " (" << init_options.unit_kind
                  << ")  " << result.root_unit_id << '\n'
                  << "admin      " << init_options.admin_login << "  " << result.admin_user_id
                  << '\n';
    });
  });
}

void add_unit_commands(CLI::App& app, int& exit_code, AdminConsole& console) {
  auto* unit = app.add_subcommand("unit", "Units of the organisation tree");
  unit->require_subcommand(1);

  auto add_options = std::make_shared<Options>();
  auto* add = add_data_option(unit->add_subcommand("add", "Add a unit"), *add_options);
  add->add_option("--name", add_options->name, "Name of the unit")->required();
  add->add_option("--kind", add_options->kind, "Kind of unit")
      ->required()
      ->check(CLI::IsMember(model_values("unit", "kind")));
  add->add_option("--parent", add_options->parent,
                  "Parent unit: its id or its name path from the root (\"Plant/Unit 3\"); "
                  "without it, the unit is a new root")
      ->type_name("ID|PATH");
  add->callback([add_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(add_options->data_dir, console.clock, console.random,
                  console.password_iterations);
      const UnitRecord added =
          admin.add_unit(add_options->name, add_options->kind, add_options->parent);
      console.out << "added unit " << added.name << " (" << added.kind << ")  " << added.id;
      if (!added.parent_id.empty())
        console.out << "  under " << admin.directory().unit(added.parent_id)->name;
      console.out << '\n';
    });
  });

  auto list_options = std::make_shared<Options>();
  auto* list = add_data_option(unit->add_subcommand("list", "List units as a tree"), *list_options);
  list->callback([list_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(list_options->data_dir, console.clock, console.random);
      std::vector<std::vector<std::string>> rows;
      for (const UnitTreeEntry& entry : admin.unit_tree())
        rows.push_back(
            {std::string(static_cast<std::size_t>(entry.depth) * 2, ' ') + entry.unit.name,
             entry.unit.kind, entry.unit.id});
      detail::print_table(console.out, {"UNIT", "KIND", "ID"}, rows);
    });
  });
}

void add_user_commands(CLI::App& app, int& exit_code, AdminConsole& console) {
  auto* user = app.add_subcommand("user", "Users who sign in");
  user->require_subcommand(1);

  auto add_options = std::make_shared<Options>();
  auto* add = add_data_option(user->add_subcommand("add", "Add a user"), *add_options);
  add->add_option("--login", add_options->login, "Login the user signs in with")->required();
  add->add_option("--name", add_options->display_name, "Display name")->required();
  add->add_option("--role", add_options->role, "Role")
      ->required()
      ->check(CLI::IsMember(model_values("user", "role")));
  add->add_option("--unit", add_options->unit, "The user's unit: its id or name path")
      ->required()
      ->type_name("ID|PATH");
  add_password_cost_option(add, console.password_iterations);
  add->footer("The password is read from FIELDSYNC_USER_PASSWORD, else asked for.");
  add->callback([add_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(add_options->data_dir, console.clock, console.random,
                  console.password_iterations);
      const UnitRecord unit = admin.resolve_unit(add_options->unit);  // before asking
      std::string password =
          read_password(kUserPasswordVar, "user '" + add_options->login + "'", true);
      const Scrubbed scrub(password);
      const UserRecord added = admin.add_user(
          {add_options->login, add_options->display_name, add_options->role, unit.id}, password);
      console.out << "added user " << added.login << " (" << added.role << ") in " << unit.name
                  << "  " << added.id << '\n';
    });
  });

  auto disable_options = std::make_shared<Options>();
  auto* disable = add_data_option(
      user->add_subcommand("disable", "Disable a user: their devices are told to wipe their data"),
      *disable_options);
  disable->add_option("--login", disable_options->login, "Login of the user")->required();
  disable->callback([disable_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(disable_options->data_dir, console.clock, console.random);
      admin.disable_user(disable_options->login);
      console.out << "disabled user " << disable_options->login
                  << "; their devices will wipe their data on their next sync\n";
    });
  });

  auto reset_options = std::make_shared<Options>();
  auto* reset = add_data_option(
      user->add_subcommand("reset-password",
                           "Set a new password; the user's devices must sign in again"),
      *reset_options);
  reset->add_option("--login", reset_options->login, "Login of the user")->required();
  add_password_cost_option(reset, console.password_iterations);
  reset->footer("The password is read from FIELDSYNC_USER_PASSWORD, else asked for.");
  reset->callback([reset_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(reset_options->data_dir, console.clock, console.random,
                  console.password_iterations);
      if (!admin.directory().user_by_login(reset_options->login))  // before asking
        throw Error(ErrorDomain::validation, "unknown_user",
                    "no user has the login '" + reset_options->login + "'");
      std::string password =
          read_password(kUserPasswordVar, "user '" + reset_options->login + "'", true);
      const Scrubbed scrub(password);
      admin.reset_password(reset_options->login, password);
      console.out << "new password set for " << reset_options->login
                  << "; their devices must sign in again\n";
    });
  });
}

void add_device_commands(CLI::App& app, int& exit_code, AdminConsole& console) {
  auto* device = app.add_subcommand("device", "Tablets enrolled to users");
  device->require_subcommand(1);

  auto list_options = std::make_shared<Options>();
  auto* list =
      add_data_option(device->add_subcommand("list", "List enrolled devices"), *list_options);
  list->callback([list_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(list_options->data_dir, console.clock, console.random);
      std::vector<std::vector<std::string>> rows;
      for (const DeviceListing& d : admin.list_devices())
        rows.push_back({d.device.id, d.device.name, d.user_login, d.unit_name,
                        d.device.revoked ? "revoked" : "active", d.device.last_seen_at});
      if (rows.empty()) {
        console.out << "no devices enrolled\n";
        return;
      }
      detail::print_table(console.out, {"ID", "NAME", "USER", "UNIT", "STATE", "LAST SEEN"}, rows);
    });
  });

  auto revoke_options = std::make_shared<Options>();
  auto* revoke = add_data_option(
      device->add_subcommand("revoke", "Revoke a device: it is told to wipe its data"),
      *revoke_options);
  revoke->add_option("--id", revoke_options->device_id, "Device id")->required();
  revoke->callback([revoke_options, &exit_code, &console] {
    run(console, exit_code, [&] {
      Admin admin(revoke_options->data_dir, console.clock, console.random);
      admin.revoke_device(revoke_options->device_id);
      console.out << "revoked device " << revoke_options->device_id
                  << "; it will wipe its data on its next sync\n";
    });
  });
}

}  // namespace

void add_admin_commands(CLI::App& app, int& exit_code, AdminConsole& console) {
  add_init(app, exit_code, console);
  add_unit_commands(app, exit_code, console);
  add_user_commands(app, exit_code, console);
  add_device_commands(app, exit_code, console);
}

void add_admin_commands(CLI::App& app, int& exit_code) {
  static SystemClock clock;
  static SecureRandom random;
  static AdminConsole console{std::cout, std::cerr, clock, random};
  add_admin_commands(app, exit_code, console);
}

}  // namespace fieldsync::server::cli
