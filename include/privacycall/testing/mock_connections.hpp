#ifndef PRIVACYCALL_TESTING_MOCK_CONNECTIONS_HPP
#define PRIVACYCALL_TESTING_MOCK_CONNECTIONS_HPP

/// @file
/// gMock classes of every connection, for unit tests of code that uses the client: hand one to
/// a service object (`AxbClient(mock)`) or to a whole Client (`Client(ClientConnections{...})`)
/// and set expectations on the operations, without a platform or FakePlatform. The target is
/// privacycall::mocks, built when GoogleTest's gMock is found. An asynchronous operation's mock
/// receives the Callback: an action calls it (`InvokeArgument<1>(result)`), on any thread.

#include <privacycall/abi.hpp>
#include <privacycall/ax_connection.hpp>
#include <privacycall/axb_connection.hpp>
#include <privacycall/axe_connection.hpp>
#include <privacycall/axyb_connection.hpp>
#include <privacycall/call_control_connection.hpp>
#include <privacycall/recording_connection.hpp>

#include <gmock/gmock.h>

#include <string>

namespace privacycall::testing {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// AxbConnection with gMock: every operation a MOCK_METHOD.
class MockAxbConnection : public AxbConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<AxbBindResponse>, bind, (const AxbBindRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, modify, (const AxbModifyRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxbQueryResponse>, query, (const AxbQueryRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, unbind, (const AxbUnbindRequest&, const CallOptions&), (override));
  MOCK_METHOD(void, bind_async, (const AxbBindRequest&, Callback<AxbBindResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, modify_async, (const AxbModifyRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, query_async, (const AxbQueryRequest&, Callback<AxbQueryResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, unbind_async, (const AxbUnbindRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  /// @endcond
};

/// AxConnection with gMock: every operation a MOCK_METHOD.
class MockAxConnection : public AxConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<AxBindResponse>, bind, (const AxBindRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, modify, (const AxModifyRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxQueryResponse>, query, (const AxQueryRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, unbind, (const AxUnbindRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, set_temporary_callee,
              (const AxTemporaryCalleeRequest&, const CallOptions&), (override));
  MOCK_METHOD(void, bind_async, (const AxBindRequest&, Callback<AxBindResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, modify_async, (const AxModifyRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, query_async, (const AxQueryRequest&, Callback<AxQueryResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, unbind_async, (const AxUnbindRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, set_temporary_callee_async,
              (const AxTemporaryCalleeRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  /// @endcond
};

/// AxeConnection with gMock: every operation a MOCK_METHOD.
class MockAxeConnection : public AxeConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<AxeBindResponse>, bind, (const AxeBindRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, modify, (const AxeModifyRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxeQueryResponse>, query, (const AxeBindingKey&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxeQueryV2Response>, query_v2, (const AxeQueryV2Request&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxeBindingCountResponse>, count, (const AxeBindingCountRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, unbind, (const AxeBindingKey&, const CallOptions&), (override));
  MOCK_METHOD(void, bind_async, (const AxeBindRequest&, Callback<AxeBindResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, modify_async, (const AxeModifyRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, query_async, (const AxeBindingKey&, Callback<AxeQueryResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, query_v2_async,
              (const AxeQueryV2Request&, Callback<AxeQueryV2Response>, const CallOptions&), (override));
  MOCK_METHOD(void, count_async,
              (const AxeBindingCountRequest&, Callback<AxeBindingCountResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, unbind_async, (const AxeBindingKey&, Callback<ApiResponse>, const CallOptions&), (override));
  /// @endcond
};

/// AxybConnection with gMock: every operation a MOCK_METHOD.
class MockAxybConnection : public AxybConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<AxybBindResponse>, bind_ax, (const AxybBindAxRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxybBindResponse>, bind_yb, (const AxybBindYbRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<AxybQueryResponse>, query, (const AxybQueryRequest&, const CallOptions&), (override));
  MOCK_METHOD(Result<ApiResponse>, unbind, (const AxybUnbindRequest&, const CallOptions&), (override));
  MOCK_METHOD(void, bind_ax_async,
              (const AxybBindAxRequest&, Callback<AxybBindResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, bind_yb_async,
              (const AxybBindYbRequest&, Callback<AxybBindResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, query_async,
              (const AxybQueryRequest&, Callback<AxybQueryResponse>, const CallOptions&), (override));
  MOCK_METHOD(void, unbind_async, (const AxybUnbindRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  /// @endcond
};

/// CallControlConnection with gMock: every operation a MOCK_METHOD.
class MockCallControlConnection : public CallControlConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<ApiResponse>, stop_call, (const StopCallRequest&, const CallOptions&), (override));
  MOCK_METHOD(void, stop_call_async, (const StopCallRequest&, Callback<ApiResponse>, const CallOptions&), (override));
  /// @endcond
};

/// RecordingConnection with gMock: every operation a MOCK_METHOD.
class MockRecordingConnection : public RecordingConnection {
 public:
  // One MOCK_METHOD per virtual of the connection, left out of the reference.
  /// @cond
  MOCK_METHOD(Result<std::string>, download_url, (const std::string&, const std::string&, const CallOptions&),
              (override));
  MOCK_METHOD(Result<RecordingDownloadResult>, download,
              (const RecordingSource&, const RecordingChunkHandler&, const RecordingDownloadOptions&,
               const CallOptions&),
              (override));
  MOCK_METHOD(void, download_url_async,
              (const std::string&, const std::string&, Callback<std::string>, const CallOptions&), (override));
  /// @endcond
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::testing

#endif  // PRIVACYCALL_TESTING_MOCK_CONNECTIONS_HPP
