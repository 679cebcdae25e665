#include "webhook/push_reader.hpp"

#include "webhook/sax_parse.hpp"

#include <algorithm>
#include <cassert>

namespace privacycall::webhook::internal {
namespace {

using privacycall::internal::ShapeError;

// The SAX handler. Events go where the current state says: into the body's DOM, into the fee
// list, into one record, into the DOM of a record's unknown structured member (its
// extra_fields), or nowhere (a subtree whose content does not matter).
class PushHandler final : public nlohmann::json_sax<Json> {
 public:
  PushHandler(std::size_t body_size, const ParseLimits& limits, const FieldTable<FeeRecord>& fee_fields, PushBody& out)
      : body_size_(body_size), max_depth_(limits.max_depth), max_records_(limits.max_list_entries),
        fee_fields_(fee_fields), out_(out) {
    assert(fee_fields.all_scalar());
  }

  bool too_deep() const noexcept { return too_deep_; }
  bool too_many_records() const noexcept { return too_many_records_; }
  std::size_t error_offset() const noexcept { return error_offset_; }

  bool null() override { return scalar(JsonScalar{}); }
  bool boolean(bool value) override {
    JsonScalar s;
    s.type = Json::value_t::boolean;
    s.boolean = value;
    return scalar(s);
  }
  bool number_integer(number_integer_t value) override {
    JsonScalar s;
    s.type = Json::value_t::number_integer;
    s.integer = value;
    return scalar(s);
  }
  bool number_unsigned(number_unsigned_t value) override {
    JsonScalar s;
    s.type = Json::value_t::number_unsigned;
    s.unsigned_integer = value;
    return scalar(s);
  }
  bool number_float(number_float_t value, const string_t&) override {
    JsonScalar s;
    s.type = Json::value_t::number_float;
    s.floating = value;
    return scalar(s);
  }
  bool string(string_t& value) override {
    JsonScalar s;
    s.type = Json::value_t::string;
    s.text = value;
    return scalar(s);
  }
  bool binary(binary_t&) override { return false; }  // not in JSON text

  bool start_object(std::size_t) override { return start(Json::value_t::object); }
  bool start_array(std::size_t) override { return start(Json::value_t::array); }
  bool end_object() override { return end(); }
  bool end_array() override { return end(); }

  bool key(string_t& name) override {
    switch (state_) {
      case State::kDom:
        if (depth_ == 1 && name == "feeLst") {
          // A repeated "feeLst" replaces the earlier one, as a repeated key does in nlohmann.
          out_.fees = FeeList{};
          next_is_fee_list_ = true;
        } else {
          key_ = name;
        }
        break;
      case State::kExtra: key_ = name; break;
      case State::kRecord: {
        // A known member's name is the table's: only unknown ones need a copy.
        field_ = fee_fields_.find(name);
        if (!field_) key_ = name;
        // A later duplicate replaces the earlier member, and with it any error it had.
        for (auto it = record_errors_.begin(); it != record_errors_.end(); ++it) {
          if (it->first == member_name()) {
            record_errors_.erase(it);
            break;
          }
        }
        break;
      }
      case State::kFeeList:
      case State::kSkip: break;
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception&) override {
    error_offset_ = position;
    return false;
  }

 private:
  enum class State { kDom, kFeeList, kRecord, kExtra, kSkip };

  static Json to_json(const JsonScalar& value) {
    switch (value.type) {
      case Json::value_t::boolean: return value.boolean;
      case Json::value_t::number_integer: return value.integer;
      case Json::value_t::number_unsigned: return value.unsigned_integer;
      case Json::value_t::number_float: return value.floating;
      case Json::value_t::string: return std::string(value.text);
      default: return nullptr;
    }
  }

  // Stores `value` where the DOM under construction expects its next value.
  Json& put(Json value) {
    if (dom_.empty()) {
      out_.json = std::move(value);
      return out_.json;
    }
    Json& parent = *dom_.back();
    if (parent.is_object()) {
      Json& slot = parent[key_];
      slot = std::move(value);
      return slot;
    }
    parent.push_back(std::move(value));
    return parent.back();
  }

  // The name of the record's current member.
  std::string_view member_name() const noexcept { return field_ ? field_->name : std::string_view(key_); }

  // The record being read.
  FeeRecord& record() { return out_.fees.records.back(); }

  // Reads `value` into the current member of the record; a ShapeError is kept, not thrown.
  void read_member(const JsonScalar& value) {
    try {
      field_->scalar(record(), value, field_->name);
    } catch (const ShapeError& e) {
      record_errors_.emplace_back(field_->name, e.what());
    }
  }

  bool scalar(const JsonScalar& value) {
    switch (state_) {
      case State::kDom:
        if (next_is_fee_list_) {
          next_is_fee_list_ = false;
          out_.fees.type = value.type;
          out_.fees.type_name = value.type_name();
        } else {
          put(to_json(value));
        }
        break;
      case State::kFeeList:
        if (!out_.fees.first_non_object) out_.fees.first_non_object = value.type_name();
        break;
      case State::kRecord:
        if (field_) {
          read_member(value);
        } else {
          extra_.add(key_, to_json(value));
        }
        break;
      case State::kExtra: put(to_json(value)); break;
      case State::kSkip: break;
    }
    return true;
  }

  // Ignores everything up to the end of the container that opens at the current depth.
  void skip() {
    skip_return_ = state_;
    skip_depth_ = depth_;
    state_ = State::kSkip;
  }

  bool start(Json::value_t type) {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    JsonScalar container;
    container.type = type;
    switch (state_) {
      case State::kDom:
        if (next_is_fee_list_) {
          next_is_fee_list_ = false;
          out_.fees.type = type;
          out_.fees.type_name = container.type_name();
          if (type == Json::value_t::array) {
            // Room for as many records as the body could hold at a real CDR's size: growing
            // the vector would move every record (1.5 KB each) once or twice over.
            out_.fees.records.reserve(std::min(max_records_, body_size_ / kTypicalRecordBytes + 1));
            state_ = State::kFeeList;
          } else {
            skip();
          }
        } else {
          dom_.push_back(&put(Json(type)));
        }
        break;
      case State::kFeeList:
        if (type == Json::value_t::object) {
          if (out_.fees.records.size() == max_records_) {
            too_many_records_ = true;
            return false;
          }
          out_.fees.records.emplace_back();
          record_errors_.clear();
          extra_ = privacycall::internal::ExtraFields();
          field_ = nullptr;
          state_ = State::kRecord;
        } else {
          if (!out_.fees.first_non_object) out_.fees.first_non_object = container.type_name();
          skip();
        }
        break;
      case State::kRecord:
        if (field_) {
          read_member(container);  // a ShapeError: a known field never holds a container
          skip();
        } else {
          extra_value_ = Json(type);
          extra_key_ = key_;  // key_ is reused for the keys inside it
          extra_base_ = dom_.size();
          dom_.push_back(&extra_value_);
          state_ = State::kExtra;
        }
        break;
      case State::kExtra: dom_.push_back(&put(Json(type))); break;
      case State::kSkip: break;
    }
    return true;
  }

  bool end() {
    const std::size_t closing = depth_--;
    switch (state_) {
      case State::kDom: dom_.pop_back(); break;
      case State::kFeeList: state_ = State::kDom; break;  // the list's own end
      case State::kRecord: {  // the record's own end
        record().extra_fields = extra_.text();
        if (!record_errors_.empty() && !out_.fees.record_error) {
          out_.fees.record_error = std::move(record_errors_.front().second);
        }
        state_ = State::kFeeList;
        break;
      }
      case State::kExtra:
        dom_.pop_back();
        if (dom_.size() == extra_base_) {
          extra_.add(extra_key_, std::move(extra_value_));
          state_ = State::kRecord;
        }
        break;
      case State::kSkip:
        if (closing == skip_depth_) state_ = skip_return_;
        break;
    }
    return true;
  }

  // A CDR as the platform pushes it is 500-700 bytes of JSON.
  static constexpr std::size_t kTypicalRecordBytes = 400;

  const std::size_t body_size_;
  const std::size_t max_depth_;
  const std::size_t max_records_;
  const FieldTable<FeeRecord>& fee_fields_;
  PushBody& out_;

  State state_ = State::kDom;
  std::size_t depth_ = 0;      // containers open
  bool too_deep_ = false;
  bool too_many_records_ = false;
  std::size_t error_offset_ = 0;

  // kDom and kExtra: the containers being filled, innermost last, and the pending member name.
  std::vector<Json*> dom_;
  std::string key_;
  // kDom: the value that comes next is the top-level "feeLst".
  bool next_is_fee_list_ = false;

  // kRecord: the current member's field (nullptr when unknown), the unknown members, and the
  // shape errors of members not yet replaced by a duplicate, in document order.
  const FieldTable<FeeRecord>::Field* field_ = nullptr;
  privacycall::internal::ExtraFields extra_;
  std::vector<std::pair<std::string, std::string>> record_errors_;

  // kExtra: the unknown member being built, its name, and the DOM depth below which it is done.
  Json extra_value_;
  std::string extra_key_;
  std::size_t extra_base_ = 0;

  // kSkip: the depth of the skipped container and the state to go back to.
  std::size_t skip_depth_ = 0;
  State skip_return_ = State::kDom;
};

}  // namespace

Error too_many_entries_error(std::string_view name, std::size_t max_entries) {
  return privacycall::internal::decode_error("push body's \"" + std::string(name) + "\" holds more than " +
                                             std::to_string(max_entries) + " entries");
}

Result<PushBody> read_push_body(std::string_view body, const ParseLimits& limits, const FieldTable<FeeRecord>& fee_fields) {
  constexpr std::string_view kWhat = "push body";
  PushBody out;
  PushHandler handler(body.size(), limits, fee_fields, out);
  if (!sax_parse(body, handler)) {
    if (handler.too_deep()) return privacycall::internal::too_deep_error(kWhat, limits.max_depth);
    if (handler.too_many_records()) return too_many_entries_error("feeLst", limits.max_list_entries);
    return privacycall::internal::syntax_error(kWhat, handler.error_offset());
  }
  return out;
}

}  // namespace privacycall::webhook::internal
